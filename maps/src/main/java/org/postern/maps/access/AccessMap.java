package org.postern.maps.access;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.maps.LookupException;
import org.postern.maps.Table;

/**
 * sendmail's access map ({@code /etc/mail/access}, FEATURE(access_db)) over any {@link Table}:
 * the lookup orders of cf/m4/proto.m4 for clients ({@code Connect:}), senders ({@code From:})
 * and recipients ({@code To:}), each key tried with its tag, then untagged, before the next.
 *
 * <p>Trusts the caller for address syntax and for facts it cannot know (is the domain local,
 * did the client's name resolve). Trusts table values no further than {@link RhsParser}.
 * Owns nothing but the table reference; never closes it. A table failure is a
 * {@link LookupException} (temporary: the SMTP server answers 4xx), never "not found".
 * {@code SKIP} is honoured for every key family (sendmail's {@code skip} option always on).
 * Not supported: lookupdotdomain ({@code .domain} keys), relaytofulladdress.
 * Thread-safe if the table is.
 */
public final class AccessMap {
  private final Table table;

  public AccessMap(Table table) {
    this.table = table;
  }

  /**
   * Sender check (check_mail, tag {@code From:}): the full address with its {@code +*} and
   * plain forms, then {@code user@} forms, then the domain and its parents. An unqualified
   * sender has only {@code user@} forms. The null sender {@code <>} (or empty) is looked up
   * under no key at all: sendmail accepts it before consulting the map ({@code R<> $@ <OK>},
   * RFC 5321 section 4.5.5), so the result is "no decision" with no keys tried.
   */
  public AccessLookup sender(String address) throws LookupException {
    KeySearch search = new KeySearch(table, "from", true, SmtpReply.ACCESS_DENIED);
    Optional<Mailbox> box = Mailbox.parse(address);
    if (box.isEmpty()) {
      return search.result(Optional.empty());
    }
    Mailbox m = box.get();
    List<List<String>> families = new ArrayList<>();
    m.domain().ifPresent(d -> families.add(AccessKeys.full(m.local(), d)));
    families.add(AccessKeys.user(m.local()));
    m.domain().ifPresent(d -> families.add(AccessKeys.domain(d)));
    return search.result(search.first(families));
  }

  /**
   * Recipient check (FEATURE(blocklist_recipients), tag {@code To:}): for a local domain
   * ({@code $=w}) the full address, {@code user@} forms, then the domain and parents; for
   * other domains the full address, then the domain and parents; unqualified: {@code user@}.
   * REJECT here is sendmail's {@code 550 5.2.1 Mailbox disabled for this recipient}. OK and
   * RELAY decide nothing about relaying: ask {@link #relayRecipient} for that.
   */
  public AccessLookup recipient(String address, boolean localDomain) throws LookupException {
    KeySearch search = new KeySearch(table, "to", true, SmtpReply.MAILBOX_DISABLED);
    Optional<Mailbox> box = Mailbox.parse(address);
    if (box.isEmpty()) {
      return search.result(Optional.empty());
    }
    Mailbox m = box.get();
    if (m.domain().isEmpty()) {
      return search.result(search.first(List.of(AccessKeys.user(m.local()))));
    }
    String d = m.domain().get();
    List<List<String>> families = new ArrayList<>();
    families.add(AccessKeys.full(m.local(), d));
    if (localDomain) {
      families.add(AccessKeys.user(m.local()));
    }
    families.add(AccessKeys.domain(d));
    return search.result(search.first(families));
  }

  /**
   * Relay check for a recipient domain (Rcpt_ok, tag {@code To:}): the domain and its
   * parents. Only a {@link AccessResult.Relay} result allows relaying; the caller ignores
   * any other.
   */
  public AccessLookup relayRecipient(String domain) throws LookupException {
    KeySearch search = new KeySearch(table, "to", true, SmtpReply.ACCESS_DENIED);
    String d = AccessKeys.withoutTrailingDots(domain.toLowerCase(Locale.ROOT));
    return search.result(search.family(AccessKeys.domain(d)));
  }

  /**
   * Client check (check_relay, tag {@code Connect:}): the client's host name and its parent
   * domains, then its address truncated part by part ({@code 192.168.212.1} ...
   * {@code 192}; IPv6 by 16-bit groups under {@code IPv6:}). A client whose name did not
   * resolve is named by its bracketed literal, as sendmail names it ({@code [192.0.2.1]},
   * {@code [IPv6:2001:db8:0:0:0:0:0:1]}), so bracketed keys match it, shortened the same way.
   *
   * @param hostName the verified host name, or empty when reverse lookup failed
   */
  public AccessLookup client(Optional<String> hostName, InetAddress address)
      throws LookupException {
    KeySearch search = new KeySearch(table, "connect", true, SmtpReply.ACCESS_DENIED);
    String name = hostName.map(AccessMap::normalHost)
        .orElse("[" + AccessKeys.literal(address).toLowerCase(Locale.ROOT) + "]");
    return search.result(
        search.first(List.of(AccessKeys.domain(name), AccessKeys.address(address))));
  }

  /**
   * Relay check for the client (Relay_ok, tag {@code Connect:}): the address first, then the
   * verified host name and parents. Only a RELAY entry counts: the result's match is that
   * entry, or empty when neither family found RELAY (a found non-RELAY entry ends its family
   * but is not reported).
   */
  public AccessLookup relayClient(Optional<String> hostName, InetAddress address)
      throws LookupException {
    KeySearch search = new KeySearch(table, "connect", true, SmtpReply.ACCESS_DENIED);
    Optional<AccessMatch> hit =
        search.family(AccessKeys.address(address)).filter(AccessMap::relays);
    if (hit.isEmpty() && hostName.isPresent()) {
      hit = search.family(AccessKeys.domain(normalHost(hostName.get())))
          .filter(AccessMap::relays);
    }
    return search.result(hit);
  }

  /**
   * {@code Spam:} lookup for a recipient (FEATURE(delay_checks, friend|hater)), tag only, no
   * untagged fallback: the full address, the domain and parents, then (local domains only)
   * {@code user@} forms, in that order as proto.m4's check_rcpt does.
   */
  public SpamLookup spam(String recipient, boolean localDomain) throws LookupException {
    KeySearch search = new KeySearch(table, "spam", false, SmtpReply.ACCESS_DENIED);
    List<List<String>> families = new ArrayList<>();
    Mailbox.parse(recipient).ifPresent(m -> {
      m.domain().ifPresent(d -> families.add(AccessKeys.full(m.local(), d)));
      m.domain().ifPresent(d -> families.add(AccessKeys.domain(d)));
      if (localDomain || m.domain().isEmpty()) {
        families.add(AccessKeys.user(m.local()));
      }
    });
    Optional<AccessMatch> hit = search.first(families);
    return new SpamLookup(
        search.keysTried(), hit.map(AccessMatch::key), hit.map(AccessMatch::value));
  }

  private static boolean relays(AccessMatch match) {
    return match.action() instanceof AccessResult.Relay;
  }

  private static String normalHost(String host) {
    return AccessKeys.withoutTrailingDots(host.trim().toLowerCase(Locale.ROOT));
  }
}
