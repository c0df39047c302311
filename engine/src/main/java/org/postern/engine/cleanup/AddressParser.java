package org.postern.engine.cleanup;

import java.util.ArrayList;
import java.util.List;

/**
 * Extracts recipient addresses from address-list header values (To, Cc, Bcc and their Resent-
 * forms): RFC 5322 §3.4 mailboxes, name-addrs, groups, comments, and the obsolete forms of §4.4
 * (source routes, empty list elements).
 *
 * <p>Trusts nothing: header values come from whoever wrote the message. Nothing throws; an element
 * that cannot be parsed is skipped and described in {@link AddressList#problems()}. Unqualified
 * names ({@code bob}) are kept, for cleanup to qualify. Stateless; thread-safe.
 */
public final class AddressParser {
  private AddressParser() {}

  /** The addresses of one header value. */
  public static AddressList parse(String value) {
    return parseAll(List.of(value));
  }

  /** The addresses of several header values, in order. */
  public static AddressList parseAll(List<String> values) {
    List<String> addresses = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String value : values) {
      for (AddressCheck c : elements(AddressLexer.tokens(value), true)) {
        if (c instanceof AddressCheck.Valid v) {
          addresses.add(v.address());
        } else if (c instanceof AddressCheck.Invalid i) {
          problems.add(i.message());
        }
      }
    }
    return new AddressList(addresses, problems);
  }

  /**
   * Splits tokens at the list's commas and checks each non-empty element as a recipient. With
   * {@code groups}, RFC 5322 §3.4 groups ({@code name: a, b;}) yield their members; without, the
   * colon stays in the element and the group is refused as sendmail refuses it.
   */
  static List<AddressCheck> elements(List<AddressToken> tokens, boolean groups) {
    List<AddressCheck> out = new ArrayList<>();
    split(tokens, groups, new Elements() {
      @Override
      public void element(List<AddressToken> element) {
        out.add(MailboxParser.mailbox(element, render(element), false));
      }

      @Override
      public void unclosedAngle(List<AddressToken> element) {
        out.add(AddressCheck.Invalid.of(render(element), AddressFault.UNBALANCED_LT));
      }
    });
    return out;
  }

  /** Receives the elements of an address list, in order, as {@link #split} finds them. */
  interface Elements {
    /** One non-empty element: a mailbox, name-addr, or whatever else stood between commas. */
    void element(List<AddressToken> element);

    /** An element whose {@code <} a list comma or the end closed (sendmail: an error). */
    void unclosedAngle(List<AddressToken> element);
  }

  /**
   * Splits tokens at the list's commas (and, with {@code groups}, at group starts and ends),
   * handing each element to {@code sink}; the lists handed over are not kept or reused.
   */
  static void split(List<AddressToken> tokens, boolean groups, Elements sink) {
    List<AddressToken> cur = new ArrayList<>();
    boolean inAngle = false;
    boolean inGroup = false;
    for (AddressToken tok : tokens) {
      if (tok.isSpecial('<')) {
        inAngle = true;
      } else if (tok.isSpecial('>')) {
        inAngle = false;
      } else if (tok.isSpecial(',')) {
        if (inAngle && isRoute(cur)) {
          cur.add(tok); // RFC 5322 §4.4 obs-route: "<@a,@b:user@dom>"
          continue;
        }
        if (inAngle) {
          // As sendmail's prescan does, a list comma closes an unclosed '<' as an error.
          sink.unclosedAngle(List.copyOf(cur));
          cur.clear();
          inAngle = false;
        } else {
          flush(cur, sink);
        }
        continue;
      } else if (groups && !inAngle && isGroupStart(tok, cur, inGroup)) {
        cur.clear(); // RFC 5322 §3.4: group = display-name ":" [group-list] ";"
        inGroup = true;
        continue;
      } else if (groups && !inAngle && tok.isSpecial(';')) {
        // Ends a group; outside one, ours: taken as the separator users mean by it.
        flush(cur, sink);
        inGroup = false;
        continue;
      }
      cur.add(tok);
    }
    if (inAngle) {
      sink.unclosedAngle(List.copyOf(cur));
    } else {
      flush(cur, sink);
    }
  }

  private static boolean isGroupStart(AddressToken tok, List<AddressToken> cur, boolean inGroup) {
    return tok.isSpecial(':')
        && !inGroup
        && MailboxParser.indexOf(cur, '@', 0) < 0
        && MailboxParser.indexOf(cur, '<', 0) < 0;
  }

  /** Whether the angle-addr under way so far is a source route ("<@relay"). */
  private static boolean isRoute(List<AddressToken> cur) {
    int lt = cur.size() - 1;
    while (lt >= 0 && !cur.get(lt).isSpecial('<')) {
      lt--;
    }
    return lt >= 0 && lt + 1 < cur.size() && cur.get(lt + 1).isSpecial('@');
  }

  private static void flush(List<AddressToken> cur, Elements sink) {
    if (!cur.isEmpty()) {
      // RFC 5322 §4.4: empty list elements ("a@x,,b@y") are allowed and mean nothing.
      sink.element(List.copyOf(cur));
      cur.clear();
    }
  }

  /** The tokens as text again (comments are gone), to name an element in a problem. */
  static String render(List<AddressToken> tokens) {
    StringBuilder sb = new StringBuilder();
    for (AddressToken t : tokens) {
      if (t.spaceBefore() && sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(t.text());
    }
    return sb.toString();
  }
}
