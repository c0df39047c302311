package org.postern.engine.cleanup;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Qualifies the unqualified addresses in the address headers of a locally submitted message
 * with {@code @myorigin} (Postfix append_at_myorigin in cleanup's header rewriting; sendmail
 * does the same), so {@code To: bob} becomes {@code To: bob@myorigin} and a reply reaches bob.
 *
 * <p>Trusts nothing in the header: values are lexed as RFC 5322 address lists (display names,
 * quoted strings, comments, groups, angle-addrs); an element that is not a valid mailbox is
 * left as written. Only text is inserted, right after each address; every other byte, line
 * folding included, stays as it came, and a header with nothing to qualify is returned as is.
 * Never fails. Immutable; thread-safe.
 */
final class AddressRewriter {
  /** The sender and recipient headers whose addresses Postfix's cleanup rewrites. */
  private static final List<String> ADDRESS_HEADERS =
      List.of("From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Resent-From", "Resent-Sender",
          "Resent-Reply-To", "Resent-To", "Resent-Cc", "Resent-Bcc");

  private final String suffix;

  AddressRewriter(String myorigin) {
    this.suffix = "@".concat(myorigin);
  }

  /** {@code h} with its unqualified addresses qualified; {@code h} itself when there are none. */
  Header rewrite(Header h) {
    if (ADDRESS_HEADERS.stream().noneMatch(h::is)) {
      return h;
    }
    byte[] raw = h.raw();
    // Work on characters that map back to exactly the same bytes (8-bit text is kept).
    Charset cs = roundTrips(raw, StandardCharsets.UTF_8)
        ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    String text = new String(raw, cs);
    int body = text.indexOf(':') + 1;
    String rewritten = qualify(text.substring(body));
    if (rewritten.equals(text.substring(body))) {
      return h;
    }
    return new Header(h.name(), qualify(h.value()),
        text.substring(0, body).concat(rewritten).getBytes(cs));
  }

  /** An address-list text with {@code @myorigin} inserted after each unqualified address. */
  private String qualify(String list) {
    List<Integer> points = new ArrayList<>();
    AddressParser.split(AddressLexer.tokens(list), true, new AddressParser.Elements() {
      @Override
      public void element(List<AddressToken> element) {
        if (MailboxParser.mailbox(element, "", false) instanceof AddressCheck.Valid v
            && Addresses.domain(v.address()).isEmpty()) {
          // The addr-spec ends before '>' in a name-addr, else with the element.
          int gt = MailboxParser.indexOf(element, '>', 0);
          points.add(element.get(gt > 0 ? gt - 1 : element.size() - 1).end());
        }
      }

      @Override
      public void unclosedAngle(List<AddressToken> element) {
        // Not an address: left as written.
      }
    });
    StringBuilder out = new StringBuilder(list);
    for (int i = points.size() - 1; i >= 0; i--) {
      out.insert((int) points.get(i), suffix);
    }
    return out.toString();
  }

  private static boolean roundTrips(byte[] raw, Charset cs) {
    return Arrays.equals(new String(raw, cs).getBytes(cs), raw);
  }
}
