package org.postern.engine.cleanup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One header field: its name, its unfolded value and the exact bytes it occupied (first line,
 * continuation lines and their line ends), so a message can be re-emitted byte for byte.
 *
 * <p>Parsed headers come from {@link HeaderSection}, which trusts nothing in the bytes; the value
 * is decoded leniently and never fails. Headers made with {@link #of} are checked: a name must be
 * RFC 5322 ftext, a value must not contain CR, LF or NUL (header injection). Immutable (the raw
 * bytes are copied in and out) and thread-safe.
 */
public record Header(String name, String value, byte[] raw) {
  /** RFC 5322 §2.1.1: lines SHOULD be no more than 78 characters, excluding the line end. */
  private static final int FOLD_COLUMN = 78;

  public Header {
    raw = raw.clone();
  }

  /**
   * A new header line {@code Name: value\n}, folded at white space before column 78 where it can be
   * (RFC 5322 §2.2.3: folding inserts a line break before existing white space).
   */
  public static Header of(String name, String value) {
    if (!isFieldName(name)) {
      throw new IllegalArgumentException("not a header field name: " + name);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == '\0') {
        throw new IllegalArgumentException("line break or NUL in value of header " + name);
      }
    }
    // String.concat, not '+': indy string concatenation costs start-up time on the sendmail path.
    String line = fold(name.concat(": ").concat(value), name.length() + 2).concat("\n");
    return new Header(name, value, line.getBytes(StandardCharsets.UTF_8));
  }

  /** The exact bytes of this header, including its final line end if it had one. */
  @Override
  public byte[] raw() {
    return raw.clone();
  }

  /** Whether this header has the given name, compared without regard to case (RFC 5322 §1.2.2). */
  public boolean is(String otherName) {
    return name.equalsIgnoreCase(otherName);
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(raw);
  }

  /** RFC 5322 §3.6.8: field-name = 1*ftext, ftext = %d33-57 / %d59-126. */
  static boolean isFieldName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 33 || c > 126 || c == ':') {
        return false;
      }
    }
    return true;
  }

  private static String fold(String line, int minBreak) {
    StringBuilder out = new StringBuilder(line.length() + 8);
    int lineStart = 0;
    while (line.length() - lineStart > FOLD_COLUMN) {
      int limit = lineStart + FOLD_COLUMN;
      int cut = -1;
      for (int i = limit; i > lineStart && i >= minBreak; i--) {
        char c = line.charAt(i);
        if (c == ' ' || c == '\t') {
          cut = i;
          break;
        }
      }
      if (cut <= lineStart) {
        // No white space to fold at before the limit: take the first one after it.
        cut = nextWhiteSpace(line, Math.max(limit, minBreak));
        if (cut < 0) {
          break;
        }
      }
      out.append(line, lineStart, cut).append('\n');
      lineStart = cut;
    }
    return out.append(line, lineStart, line.length()).toString();
  }

  private static int nextWhiteSpace(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Header h
        && name.equals(h.name)
        && value.equals(h.value)
        && Arrays.equals(raw, h.raw);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return name.concat(": ").concat(value);
  }
}
