package org.postern.engine.cleanup;

/**
 * One lexical token of an RFC 5322 address (§3.2: atoms, quoted strings, domain literals and the
 * specials), or a broken piece of input carrying the fault that broke it.
 *
 * <p>{@code text} is the token exactly as written (quoted strings and literals keep their
 * delimiters). Comments and white space produce no token; {@code spaceBefore} remembers that some
 * separated this token from the previous one; {@code end} is the offset just past the token in
 * the lexed text, where a rewrite may insert after it. Immutable.
 */
record AddressToken(Kind kind, String text, boolean spaceBefore, AddressFault fault, int end) {
  enum Kind {
    ATOM,
    QUOTED,
    LITERAL,
    SPECIAL,
    BROKEN
  }

  boolean isSpecial(char c) {
    return kind == Kind.SPECIAL && text.charAt(0) == c;
  }

  boolean isWord() {
    return kind == Kind.ATOM || kind == Kind.QUOTED;
  }
}
