package org.postern.engine.cleanup;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.TempFailException;

/**
 * Rewrites the addresses in a message's sender and recipient headers ({@link AddressClass})
 * through an {@link AddressFunction}: cleanup's append_at_myorigin, canonical maps and
 * masquerading for local submissions, the SMTP client's smtp_generic_maps for all mail. An
 * address that only gains a domain keeps its text with {@code @domain} inserted after it; any
 * other change replaces the addr-spec.
 *
 * <p>Trusts nothing in the header: values are lexed as RFC 5322 address lists (display names,
 * quoted strings, comments, groups, angle-addrs); an element that is not a valid mailbox is
 * left as written. Every byte outside the rewritten addr-specs, line folding included, stays
 * as it came, and a header with nothing to rewrite is returned as is. A TempFailException of
 * the function (a table that cannot be read) passes up. Immutable; thread-safe if the function
 * is.
 */
public final class AddressRewriter {
  /** What one header address becomes (the address itself when nothing applies). */
  @FunctionalInterface
  public interface AddressFunction {
    String apply(String address, AddressClass where) throws TempFailException;
  }

  /** One address in the header text: where its addr-spec is, and its normalised form. */
  private record Found(int start, int end, String address) {}

  private final AddressFunction function;

  public AddressRewriter(AddressFunction function) {
    this.function = function;
  }

  /** {@code section} with the addresses of each of its headers rewritten. */
  public HeaderSection rewrite(HeaderSection section) throws TempFailException {
    List<Header> out = new ArrayList<>(section.headers().size());
    for (Header h : section.headers()) {
      out.add(rewrite(h));
    }
    return section.withHeaders(out);
  }

  /** {@code h} with its addresses rewritten; {@code h} itself when nothing changed. */
  public Header rewrite(Header h) throws TempFailException {
    Optional<AddressClass> where = AddressClass.ofHeader(h.name());
    if (where.isEmpty()) {
      return h;
    }
    byte[] raw = h.raw();
    // Work on characters that map back to exactly the same bytes (8-bit text is kept).
    Charset cs = roundTrips(raw, StandardCharsets.UTF_8)
        ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    String text = new String(raw, cs);
    int body = text.indexOf(':') + 1;
    StringBuilder out = new StringBuilder(text);
    List<Found> found = addresses(text.substring(body));
    boolean changed = false;
    for (int i = found.size() - 1; i >= 0; i--) {
      Found f = found.get(i);
      String next = function.apply(f.address(), where.get());
      if (next.equals(f.address())) {
        continue;
      }
      changed = true;
      if (Addresses.domain(f.address()).isEmpty()
          && next.startsWith(f.address() + "@")) {
        out.insert(body + f.end(), next.substring(f.address().length()));
      } else {
        out.replace(body + f.start(), body + f.end(), next);
      }
    }
    if (!changed) {
      return h;
    }
    return HeaderSection.parse(out.toString().getBytes(cs)).headers().get(0);
  }

  /** The valid mailboxes of an address-list text, with their addr-specs' positions. */
  private static List<Found> addresses(String list) {
    List<Found> out = new ArrayList<>();
    AddressParser.split(AddressLexer.tokens(list), true, new AddressParser.Elements() {
      @Override
      public void element(List<AddressToken> element) {
        if (MailboxParser.mailbox(element, "", false) instanceof AddressCheck.Valid v
            && !v.address().isEmpty()) {
          // The addr-spec is what '<' and '>' enclose in a name-addr, else the element.
          int lt = MailboxParser.indexOf(element, '<', 0);
          int gt = MailboxParser.indexOf(element, '>', 0);
          AddressToken first = element.get(lt >= 0 ? lt + 1 : 0);
          AddressToken last = element.get(gt > 0 ? gt - 1 : element.size() - 1);
          out.add(new Found(first.end() - first.text().length(), last.end(), v.address()));
        }
      }

      @Override
      public void unclosedAngle(List<AddressToken> element) {
        // Not an address: left as written.
      }
    });
    return out;
  }

  private static boolean roundTrips(byte[] raw, Charset cs) {
    return Arrays.equals(new String(raw, cs).getBytes(cs), raw);
  }
}
