package org.postern.maps.access;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP reply a table entry asks for: reply code, enhanced status code (RFC 3463) and text,
 * as sendmail's error mailer builds it from an {@code ERROR:} right-hand side (parseaddr.c
 * buildaddr, err.c usrerr).
 *
 * <p>Trusts nothing of the entry text: a missing or malformed code falls back to sendmail's
 * defaults. Always a 4xx or 5xx reply whose enhanced code has the same class. Immutable.
 */
public record SmtpReply(int code, String dsn, String text) {
  // The patterns come first: the constants below are checked against them.
  private static final Pattern CODED = Pattern.compile("([45]\\d\\d) (.*)", Pattern.DOTALL);
  private static final Pattern ENHANCED =
      Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3}) (.*)", Pattern.DOTALL);
  private static final Pattern DSN = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  /** sendmail's REJECT for clients and senders (confREJECT_MSG). */
  public static final SmtpReply ACCESS_DENIED = new SmtpReply(550, "5.7.1", "Access denied");

  /** sendmail's REJECT for recipients with blocklist_recipients (confRCPTREJ_MSG). */
  public static final SmtpReply MAILBOX_DISABLED =
      new SmtpReply(550, "5.2.1", "Mailbox disabled for this recipient");

  public SmtpReply {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("not an error reply code: " + code);
    }
    if (!DSN.matcher(dsn).matches() || dsn.charAt(0) != (char) ('0' + code / 100)) {
      throw new IllegalArgumentException("enhanced code " + dsn + " does not fit " + code);
    }
  }

  /**
   * The reply for an error text such as {@code "550 go away"}, {@code 450 4.2.2 full} or
   * {@code go away}, with the DSN given separately ({@code ERROR:D.S.N:text}) if any.
   *
   * <p>As sendmail: double quotes are stripped; a leading {@code NNN } is the reply code; an
   * enhanced code right after it wins over the separate one; otherwise the class default
   * ({@code 4.0.0} / {@code 5.0.0}, err.c usrerr). Text without a reply code gets sendmail's
   * {@code 553 5.3.0}. Deviations, each to keep the reply well-formed or the admin's intent:
   * a separate DSN is kept for text without a reply code (sendmail drops it and sends 553
   * 5.3.0), and then a {@code 4.x.x} DSN gives {@code 451}; a DSN whose class differs from the
   * reply code is replaced by the class default (RFC 3463 section 2); 2xx/3xx "reply codes"
   * are plain text.
   */
  public static SmtpReply fromErrorText(String raw, Optional<String> dsn) {
    String text = stripQuotes(raw).trim();
    return coded(text, dsn).orElseGet(() -> uncoded(text, dsn));
  }

  /**
   * The reply when the (already unquoted) text starts with a reply code, else empty: the
   * enhanced code after the reply code if any, else {@code dsn} if it fits the reply code's
   * class, else the class default.
   */
  public static Optional<SmtpReply> coded(String text, Optional<String> dsn) {
    Matcher m = CODED.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    int code = Integer.parseInt(m.group(1));
    String rest = m.group(2);
    Matcher e = ENHANCED.matcher(rest);
    if (e.matches()) {
      return Optional.of(new SmtpReply(code, fitting(code, Optional.of(e.group(1))), e.group(2)));
    }
    return Optional.of(new SmtpReply(code, fitting(code, dsn), rest));
  }

  private static SmtpReply uncoded(String text, Optional<String> dsn) {
    Optional<String> usable = dsn.filter(d -> d.startsWith("4") || d.startsWith("5"));
    if (usable.isEmpty()) {
      return new SmtpReply(553, "5.3.0", text);
    }
    return new SmtpReply(usable.get().startsWith("4") ? 451 : 553, usable.get(), text);
  }

  /** The given DSN if it is well-formed and of the reply code's class, else the default. */
  private static String fitting(int code, Optional<String> dsn) {
    char cls = (char) ('0' + code / 100);
    return dsn.filter(d -> DSN.matcher(d).matches() && d.charAt(0) == cls)
        .orElse(cls + ".0.0");
  }

  /** sendmail's stripquotes(): drops double quotes; a backslash keeps the next character. */
  public static String stripQuotes(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        out.append(s.charAt(++i));
      } else if (c != '"') {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return code + " " + dsn + " " + text;
  }
}
