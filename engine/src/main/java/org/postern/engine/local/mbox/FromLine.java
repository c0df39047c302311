package org.postern.engine.local.mbox;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats the mbox envelope line, {@code From SENDER  Wed Nov 25 02:51:14 2026}, as Postfix
 * global/mail_copy.c does: the sender's local part quoted when it needs it, the null sender
 * written as MAILER-DAEMON, the date in asctime(3) form in the given zone.
 *
 * <p>Trusts nothing about the sender beyond "one line" (checked by {@link MboxMessage}).
 * Stateless and thread-safe.
 */
public final class FromLine {
  /** asctime(3): day of month padded with a space, not a zero ("Nov  5"). */
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US);

  private static final String SPECIALS = "\"(),:;<>@[\\] ";

  private FromLine() {}

  /** The envelope line without its line end. */
  public static String format(FromStyle style, String sender, ZonedDateTime when) {
    return "From " + envelopeName(sender) + style.separator() + ASCTIME.format(when);
  }

  /** How the line names {@code sender}: quoted as needed, MAILER-DAEMON for the null one. */
  static String envelopeName(String sender) {
    return sender.isEmpty() ? "MAILER-DAEMON" : quoteLocalPart(sender);
  }

  /**
   * Quotes the local part of {@code address} when it is not an RFC 5322 dot-atom, as Postfix
   * quote_822_local() does ({@code john smith@example.org} becomes
   * {@code "john smith"@example.org}). Also right for a Return-Path header.
   */
  public static String quoteLocalPart(String address) {
    int at = address.lastIndexOf('@');
    String local = at < 0 ? address : address.substring(0, at);
    String domain = at < 0 ? "" : address.substring(at);
    if (isDotAtom(local)) {
      return address;
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\'); // RFC 5322 §3.2.4: quoted-pair
      }
      quoted.append(c);
    }
    return quoted.append('"').append(domain).toString();
  }

  private static boolean isDotAtom(String local) {
    if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return false;
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c < 0x20 || c == 0x7f || SPECIALS.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
