package org.postern.engine.cleanup;

import java.util.List;
import java.util.Optional;

/**
 * Turns the tokens of one mailbox ({@code addr}, {@code Name <addr>}, {@code <@route:addr>}) into
 * its bare addr-spec (RFC 5322 §3.4, §3.4.1; obsolete forms of §4.4), or the fault sendmail would
 * report for it.
 *
 * <p>Trusts nothing: every token sequence yields a result, never an exception. Local parts are
 * accepted as sendmail accepts them (dots anywhere, quoted strings kept as written); domains must
 * be dot-separated labels of letters, digits, {@code -}, {@code _} or non-ASCII (IDN U-labels), or
 * an address literal. Stateless; thread-safe.
 */
final class MailboxParser {
  /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
  private static final int MAX_ADDRESS = 254;

  private MailboxParser() {}

  /**
   * One mailbox. For a {@code sender}, {@code <>} (or nothing at all) is the null sender; for a
   * recipient it is refused, and so are program and file destinations.
   */
  static AddressCheck mailbox(List<AddressToken> t, String input, boolean sender) {
    for (AddressToken tok : t) {
      if (tok.kind() == AddressToken.Kind.BROKEN) {
        return AddressCheck.Invalid.of(input, tok.fault());
      }
    }
    int lt = indexOf(t, '<', 0);
    if (lt < 0) {
      return indexOf(t, '>', 0) >= 0
          ? AddressCheck.Invalid.of(input, AddressFault.UNBALANCED_GT)
          : addrSpec(t, input, sender);
    }
    // RFC 5322 §3.4: name-addr = [display-name] angle-addr; whatever precedes '<' is the name.
    int gt = indexOf(t, '>', lt + 1);
    if (gt < 0) {
      return AddressCheck.Invalid.of(input, AddressFault.UNBALANCED_LT);
    }
    if (indexOf(t, '<', lt + 1) >= 0) {
      // Nested or a second angle-addr: there is no single mailbox to choose.
      return AddressCheck.Invalid.of(input, AddressFault.INVALID_ADDRESS);
    }
    if (indexOf(t, '>', 0) < gt || indexOf(t, '>', gt + 1) >= 0) {
      return AddressCheck.Invalid.of(input, AddressFault.UNBALANCED_GT);
    }
    return addrSpec(t.subList(lt + 1, gt), input, sender);
  }

  private static AddressCheck addrSpec(List<AddressToken> t, String input, boolean sender) {
    if (t.isEmpty()) {
      return sender
          ? new AddressCheck.Valid("")
          : AddressCheck.Invalid.of(input, AddressFault.USER_ADDRESS_REQUIRED);
    }
    // RFC 5322 §4.4 obs-route, RFC 5321 §3.6.1: "@relay,@relay2:" before the mailbox is a
    // source route, which receivers SHOULD ignore; sendmail's canonify strips it too.
    if (t.get(0).isSpecial('@')) {
      int colon = indexOf(t, ':', 0);
      if (colon > 0) {
        t = t.subList(colon + 1, t.size());
        if (t.isEmpty()) {
          return AddressCheck.Invalid.of(input, AddressFault.USER_ADDRESS_REQUIRED);
        }
      }
    }
    int at = indexOf(t, '@', 0);
    int colon = indexOf(t, ':', 0);
    if (indexOf(t, ';', 0) >= 0 || (colon >= 0 && (at < 0 || colon < at))) {
      // RFC 5322 §3.4 group syntax ("list: a@x;") names no single envelope address.
      return AddressCheck.Invalid.of(input, AddressFault.LIST_SYNTAX);
    }
    if (at >= 0 && indexOf(t, '@', at + 1) >= 0) {
      // sendmail Parse0: "a@@b", "a@b@c" and "a@b@" are all "Invalid route address".
      return AddressCheck.Invalid.of(input, AddressFault.INVALID_ROUTE);
    }
    if (at == 0) {
      return AddressCheck.Invalid.of(input, AddressFault.USER_ADDRESS_REQUIRED);
    }
    if (at == t.size() - 1) {
      return AddressCheck.Invalid.of(input, AddressFault.HOSTNAME_REQUIRED);
    }
    StringBuilder out = new StringBuilder();
    Optional<AddressFault> fault = localPart(at < 0 ? t : t.subList(0, at), out);
    if (fault.isEmpty() && at > 0) {
      out.append('@');
      fault = domain(t.subList(at + 1, t.size()), out);
    }
    if (fault.isEmpty() && out.length() > MAX_ADDRESS) {
      fault = Optional.of(AddressFault.TOO_LONG);
    }
    if (fault.isEmpty() && !sender && at < 0) {
      fault = destinationKind(out);
    }
    return fault.isEmpty()
        ? new AddressCheck.Valid(out.toString())
        : AddressCheck.Invalid.of(input, fault.get());
  }

  /**
   * RFC 5322 §3.4.1 local-part = dot-atom / quoted-string / obs-local-part; like sendmail, dots may
   * lead, trail or repeat. Appends the local part, or returns the fault.
   */
  private static Optional<AddressFault> localPart(List<AddressToken> t, StringBuilder out) {
    boolean lastWasWord = false;
    for (AddressToken tok : t) {
      if (tok.isWord()) {
        if (lastWasWord) {
          // Deviation: sendmail joins unquoted words with its BlankSub ('.'); we refuse.
          return Optional.of(AddressFault.INVALID_ADDRESS);
        }
        lastWasWord = true;
      } else if (tok.isSpecial('.')) {
        lastWasWord = false;
      } else if (tok.isSpecial(',')) {
        // sendmail Parse0: a comma left in the address is a bad route ("R$* , $~O $*").
        return Optional.of(AddressFault.INVALID_ROUTE);
      } else {
        return Optional.of(AddressFault.INVALID_ADDRESS);
      }
      out.append(tok.text());
    }
    return Optional.empty();
  }

  /**
   * sendmail (recipient.c) delivers to {@code |program} and {@code /file} only when an alias or
   * .forward names them, never when a submitter does. Only unqualified names are local here; {@code
   * "|x"@remote} is the remote's business.
   */
  private static Optional<AddressFault> destinationKind(CharSequence addr) {
    int first = addr.length() > 1 && addr.charAt(0) == '"' ? 1 : 0;
    if (addr.length() > first && addr.charAt(first) == '|') {
      return Optional.of(AddressFault.PROGRAM);
    }
    if (addr.length() > first && addr.charAt(first) == '/') {
      return Optional.of(AddressFault.FILE);
    }
    return Optional.empty();
  }

  /** RFC 5322 §3.4.1 domain = dot-atom / domain-literal; RFC 5321 §4.1.2 labels. */
  private static Optional<AddressFault> domain(List<AddressToken> t, StringBuilder out) {
    AddressToken first = t.get(0);
    if (first.kind() == AddressToken.Kind.LITERAL) {
      if (t.size() > 1) {
        return Optional.of(AddressFault.INVALID_ADDRESS); // sendmail Parse0: no "a@[b]c"
      }
      if (!isAddressLiteral(first.text())) {
        return Optional.of(AddressFault.INVALID_HOST);
      }
      out.append(first.text());
      return Optional.empty();
    }
    boolean expectLabel = true;
    int last = t.size() - 1;
    for (int i = 0; i <= last; i++) {
      AddressToken tok = t.get(i);
      if (tok.isSpecial(':')) {
        return Optional.of(AddressFault.COLON_IN_HOST);
      }
      if (expectLabel) {
        if (tok.kind() != AddressToken.Kind.ATOM || !isLabel(tok.text())) {
          return Optional.of(AddressFault.INVALID_HOST); // also "a@.b" and "a@b..c"
        }
        out.append(tok.text());
      } else if (!tok.isSpecial('.')) {
        return Optional.of(AddressFault.INVALID_HOST);
      } else if (i < last) {
        out.append('.'); // a final dot (absolute name) is dropped, as sendmail does
      }
      expectLabel = !expectLabel;
    }
    return Optional.empty();
  }

  private static boolean isLabel(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c >= 0x80;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** RFC 5321 §4.1.3: IPv4 dotted quad, or Standardized-tag ":" content (IPv6:..., other tags). */
  private static boolean isAddressLiteral(String text) {
    String inner = text.substring(1, text.length() - 1);
    int colon = inner.indexOf(':');
    if (colon > 0) {
      for (int i = 0; i < inner.length(); i++) {
        char c = inner.charAt(i);
        if (c <= ' ' || c == '[' || c == ']' || c == '\\') {
          return false;
        }
      }
      return colon < inner.length() - 1;
    }
    return isIpv4(inner);
  }

  private static boolean isIpv4(String s) {
    int parts = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || value > 255) {
          return false;
        }
        parts++;
        value = -1;
      } else if (c >= '0' && c <= '9' && value < 1000) {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
      } else {
        return false;
      }
    }
    return parts == 4;
  }

  static int indexOf(List<AddressToken> t, char special, int from) {
    for (int i = from; i < t.size(); i++) {
      if (t.get(i).isSpecial(special)) {
        return i;
      }
    }
    return -1;
  }
}
