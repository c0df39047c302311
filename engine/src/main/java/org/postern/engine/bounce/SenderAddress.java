package org.postern.engine.bounce;

import java.util.Locale;

/**
 * Writes an envelope sender as the {@code To:} of its notification: an RFC 5322 §3.4.1 addr-spec in
 * angle brackets, whatever the envelope held. A local part that is not a dot-atom is quoted; an
 * unqualified sender gets {@code @myhostname}; control characters become {@code +HH} so the header
 * stays one field. Non-ASCII is kept as UTF-8 (RFC 6532).
 *
 * <p>The header is for people only; the notification is routed by its envelope, which the caller
 * sets from the unchanged sender. Stateless and thread-safe.
 */
final class SenderAddress {
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private SenderAddress() {}

  /** {@code <addr-spec>} for {@code sender}, which must not be the null sender. */
  static String toHeader(String sender, String myhostname) {
    String clean = escapeControls(sender);
    int at = clean.lastIndexOf('@');
    String local = at < 0 ? clean : clean.substring(0, at);
    String domain = at < 0 || at == clean.length() - 1 ? myhostname : clean.substring(at + 1);
    return "<" + localPart(local) + "@" + domain + ">";
  }

  private static String localPart(String local) {
    if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
      return local;
    }
    if (isDotAtom(local)) {
      return local;
    }
    // RFC 5322 §3.2.4: quoted-string, with quoted-pair for '"' and '\'.
    StringBuilder q = new StringBuilder("\"");
    for (char c : local.toCharArray()) {
      if (c == '"' || c == '\\') {
        q.append('\\');
      }
      q.append(c);
    }
    return q.append('"').toString();
  }

  // RFC 5322 §3.2.3 dot-atom-text; RFC 6532 §3.2 adds non-ASCII to atext.
  private static boolean isDotAtom(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (char c : s.toCharArray()) {
      boolean atext =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c >= 0x80
              || ATEXT_SPECIALS.indexOf(c) >= 0;
      if (!atext && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static String escapeControls(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        b.append('+').append(String.format(Locale.ROOT, "%02X", (int) c));
      } else {
        b.append(c);
      }
    }
    if (b.length() > FieldText.MAX_VALUE) {
      b.setLength(FieldText.MAX_VALUE);
    }
    return b.toString();
  }
}
