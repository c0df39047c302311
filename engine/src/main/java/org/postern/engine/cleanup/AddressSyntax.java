package org.postern.engine.cleanup;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks envelope addresses given to the sendmail command (arguments, {@code -f}) the way sendmail
 * 8 does at submission, so that a typo fails at once with sendmail's text and exit code instead of
 * bouncing later (spec a.8).
 *
 * <p>Trusts nothing: arguments come from any local user. Display-name forms ({@code "Doe, John"
 * <j@x>}, {@code a@b (comment)}) are accepted and reduced to the addr-spec. Unlike sendmail, 8-bit
 * text (UTF-8, RFC 6531) is accepted, and unquoted spaces in a local part are refused rather than
 * replaced with sendmail's BlankSub. All failures are permanent and returned as {@link
 * AddressCheck.Invalid}; nothing throws. Stateless; thread-safe.
 */
public final class AddressSyntax {
  /** RFC 3463: X.1.7 bad sender's mailbox address syntax. */
  private static final String SENDER_DSN = "5.1.7";

  private AddressSyntax() {}

  /** One recipient address; {@code <>}, groups, programs and files are refused. */
  public static AddressCheck recipient(String arg) {
    return printable(arg)
        ? MailboxParser.mailbox(AddressLexer.tokens(arg), arg, false)
        : AddressCheck.Invalid.of(arg, AddressFault.NON_PRINTABLE);
  }

  /**
   * One command-line argument holding recipients. sendmail splits each argument at commas outside
   * quotes, comments and angle brackets; empty elements are dropped, so the list may be empty
   * ({@code ""}, {@code ","}).
   */
  public static List<AddressCheck> recipients(String arg) {
    if (!printable(arg)) {
      List<AddressCheck> one = new ArrayList<>(1);
      one.add(AddressCheck.Invalid.of(arg, AddressFault.NON_PRINTABLE));
      return one;
    }
    return AddressParser.elements(AddressLexer.tokens(arg), false);
  }

  /** The envelope sender ({@code -f}); {@code <>} and {@code ""} are the null sender. */
  public static AddressCheck sender(String arg) {
    AddressCheck c =
        printable(arg)
            ? MailboxParser.mailbox(AddressLexer.tokens(arg), arg, true)
            : AddressCheck.Invalid.of(arg, AddressFault.NON_PRINTABLE);
    if (c instanceof AddressCheck.Invalid i) {
      return new AddressCheck.Invalid(i.input(), i.reason(), SENDER_DSN);
    }
    return c;
  }

  /**
   * sendmail's hasctrlchar(): no control characters. Ours: also not inside quotes, since a CR or LF
   * there would reach header and log lines; a tab is allowed as white space.
   */
  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (AddressLexer.isControl(c)) {
        return false;
      }
    }
    return true;
  }
}
