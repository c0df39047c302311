package org.postern.engine.smtp;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One reply of a remote SMTP server (RFC 5321 §4.2): the three-digit code and its lines, each
 * line as received, code included ({@code "550-5.1.1 ..."}).
 *
 * <p>Comes from the network: the code was checked to be three digits by the reader, and the
 * enhanced status code (RFC 3463 / RFC 2034) is only believed when it is well formed and its
 * class is made to agree with the basic code. Immutable.
 */
public record SmtpReply(int code, List<String> lines) {
  private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  public SmtpReply {
    lines = List.copyOf(lines);
    if (code < 100 || code > 599 || lines.isEmpty()) {
      throw new IllegalArgumentException("not an SMTP reply: " + code + " " + lines);
    }
  }

  public boolean isPositive() {
    return code / 100 == 2;
  }

  /** 354 and friends: go ahead. */
  public boolean isIntermediate() {
    return code / 100 == 3;
  }

  public boolean isTransient() {
    return code / 100 == 4;
  }

  public boolean isPermanent() {
    return code / 100 == 5;
  }

  /** The whole reply on one line, as Postfix puts it into logs and bounces. */
  public String text() {
    return String.join(" ", lines);
  }

  /**
   * The enhanced status code: the server's own (first line) with its class set from the basic
   * code, or {@code X.0.0} when it sent none (Postfix smtp_chat.c does the same).
   */
  public String dsnCode() {
    char klass = code / 100 == 2 || code / 100 == 3 ? '2' : (char) ('0' + code / 100);
    String first = lines.get(0);
    if (first.length() > 4) {
      String rest = first.substring(4);
      int end = rest.indexOf(' ');
      String word = end < 0 ? rest : rest.substring(0, end);
      if (ENHANCED.matcher(word).matches()) {
        return klass + word.substring(1);
      }
    }
    return klass + ".0.0";
  }

  @Override
  public String toString() {
    return text();
  }
}
