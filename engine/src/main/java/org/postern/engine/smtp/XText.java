package org.postern.engine.smtp;

import java.nio.charset.StandardCharsets;

/**
 * Encodes ESMTP parameter values for the DSN extension: RFC 3461 §4 xtext (ENVID, and ORCPT
 * of type rfc822) and RFC 6533 §3 utf-8-addr-xtext (ORCPT of type utf-8). Stateless.
 */
final class XText {
  private XText() {}

  /** RFC 3461: {@code +HH} for each byte outside '!'..'~', and for '+' and '='. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < '!' || c > '~' || c == '+' || c == '=') {
        out.append('+').append(String.format("%02X", c));
      } else {
        out.append((char) c);
      }
    }
    return out.toString();
  }

  /** RFC 6533: {@code \x{HEX}} for each non-ASCII code point and for '+', '=', '\'. */
  static String encodeUtf8Address(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (c < '!' || c > '~' || c == '+' || c == '=' || c == '\\') {
                out.append("\\x{").append(Integer.toHexString(c).toUpperCase()).append('}');
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  static boolean isAscii(String text) {
    return text.chars().allMatch(c -> c < 0x80);
  }
}
