package org.postern.engine.cleanup;

/**
 * Why an address could not be parsed, worded as sendmail 8 words it (parseaddr.c prescan and the
 * Parse0 ruleset of cf/m4/proto.m4), so that scripts matching sendmail's stderr still work.
 *
 * <p>The DSN code is the recipient one sendmail's ruleset uses (RFC 3463: X.1.2 bad destination
 * system address, X.1.3 bad destination mailbox address syntax). Where sendmail has no text of its
 * own the wording is ours, in sendmail's style; each such constant says so.
 */
enum AddressFault {
  UNBALANCED_QUOTE("Unbalanced '\"'", "5.1.3"),
  UNBALANCED_OPEN_PAREN("Unbalanced '('", "5.1.3"),
  UNBALANCED_CLOSE_PAREN("Unbalanced ')'", "5.1.3"),
  UNBALANCED_LT("Unbalanced '<'", "5.1.3"),
  UNBALANCED_GT("Unbalanced '>'", "5.1.3"),
  /** Ours: sendmail treats '[' as an ordinary operator and fails later, less clearly. */
  UNBALANCED_BRACKET("Unbalanced '['", "5.1.3"),
  /**
   * sendmail's hasctrlchar() text, without the address quoted inside it: our callers print the
   * address once already, as in {@code addr... text}.
   */
  NON_PRINTABLE("Syntax error in mailbox address (non-printable character)", "5.1.3"),
  USER_ADDRESS_REQUIRED("User address required", "5.1.3"),
  HOSTNAME_REQUIRED("Hostname required", "5.1.3"),
  INVALID_ROUTE("Invalid route address", "5.1.3"),
  INVALID_HOST("Invalid host name", "5.1.2"),
  COLON_IN_HOST("Colon illegal in host name part", "5.1.3"),
  /**
   * sendmail's text for {@code a@[1.2.3.4]x}; ours also for other malformed addr-specs that
   * sendmail's rewriting would mangle instead of reject (e.g. two unquoted words, which sendmail
   * joins with its BlankSub character).
   */
  INVALID_ADDRESS("Invalid address", "5.1.3"),
  LIST_SYNTAX("List:; syntax illegal for recipient addresses", "5.1.3"),
  PROGRAM("Cannot mail directly to programs", "5.7.1"),
  FILE("Cannot mail directly to files", "5.7.1"),
  /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an addr-spec at most 254. */
  TOO_LONG("Address too long", "5.1.3");

  private final String text;
  private final String dsn;

  AddressFault(String text, String dsn) {
    this.text = text;
    this.dsn = dsn;
  }

  String text() {
    return text;
  }

  String dsn() {
    return dsn;
  }
}
