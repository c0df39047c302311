package org.postern.engine.smtpd;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.postern.engine.dns.Answer;
import org.postern.engine.dns.Resolver;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;

/**
 * The client's address against the DNS blocklists of smtpd_dnsbl_zones, in order, as
 * sendmail's FEATURE(dnsbl) does at connect time: listed in a zone (an A record matching the
 * zone's answer pattern) is a reject in sendmail's words, its TXT record (the list's reason)
 * logged with it.
 *
 * <p>Trusts the zone's answer only as "listed" or not; the TXT text is escaped before it is
 * logged and never sent to the client. A lookup that fails for now is a warning and no
 * listing (sendmail's default, without its {@code t} flag; Postfix does the same): a broken
 * blocklist must not stop the mail. Thread-safe.
 */
final class DnsblCheck {
  private final List<DnsblZone> zones;
  private final Resolver resolver;
  private final MailLog log;

  DnsblCheck(List<DnsblZone> zones, Resolver resolver, MailLog log) {
    this.zones = List.copyOf(zones);
    this.resolver = resolver;
    this.log = log;
  }

  static DnsblCheck from(Config config, Resolver resolver, MailLog log) throws ConfigException {
    List<DnsblZone> zones = new ArrayList<>();
    for (String item : config.list(Params.SMTPD_DNSBL_ZONES)) {
      try {
        zones.add(DnsblZone.parse(item));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(Params.SMTPD_DNSBL_ZONES.name() + ": item \"" + item
            + "\": " + e.getMessage(), e);
      }
    }
    return new DnsblCheck(zones, resolver, log);
  }

  /** The reject for a listed client, or OK. */
  Verdict check(ClientFacts client) {
    for (DnsblZone zone : zones) {
      Optional<String> listing = listing(zone, client);
      if (listing.isPresent()) {
        String ip = client.address().getHostAddress();
        log.info("dnsbl: " + client.logName() + " listed at " + zone.zone() + " ("
            + listing.get() + ")" + reason(zone.query(client.address())));
        return PolicyReplies.dnsblListed(ip, zone.zone());
      }
    }
    return Verdict.OK;
  }

  /** The answers that list the client in {@code zone}, comma-separated; empty if none. */
  private Optional<String> listing(DnsblZone zone, ClientFacts client) {
    String name = zone.query(client.address());
    Answer<InetAddress> answer;
    try {
      answer = resolver.ipv4(name);
    } catch (TempFailException e) {
      log.warning("dnsbl lookup of " + name + " for " + client.logName() + " failed, "
          + "not rejecting: " + e.getMessage());
      return Optional.empty();
    }
    String listed = answer.records().stream().filter(zone::counts)
        .map(InetAddress::getHostAddress).collect(Collectors.joining(","));
    return listed.isEmpty() ? Optional.empty() : Optional.of(listed);
  }

  /** {@code : TXT} for the log when the zone gives a reason; nothing if it gives none. */
  private String reason(String name) {
    try {
      List<String> txt = resolver.txt(name).records();
      return txt.isEmpty() ? "" : ": " + MailLog.printable(String.join(" ", txt));
    } catch (TempFailException e) {
      return ""; // the reason is a courtesy; the listing itself was answered
    }
  }
}
