package org.postern.engine.dns;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupFailedException;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * The DNS as the mail system asks it (Postfix's dns_lookup at Java size): the addresses, MX
 * hosts, PTR names and TXT strings of a name, through dnsjava, from the servers of
 * {@code dns_resolver} (none: those of /etc/resolv.conf; /etc/hosts first for addresses, as
 * the C library does), each tried {@code dns_attempts} times for at most {@code dns_timeout}.
 *
 * <p>Trusts the answers as DNS data only: names come back lower-cased without the final dot,
 * for the caller to check. NXDOMAIN and NODATA are answers ({@link Answer}); SERVFAIL,
 * REFUSED, a timeout or an unreachable server is a TempFailException (4.4.3), never "does not
 * exist". A name that cannot be written in the DNS (empty label, too long) does not exist.
 * Answers are cached for their TTL. Thread-safe: one instance serves every session.
 */
public final class Resolver {
  private static final String DSN = "4.4.3"; // RFC 3463: directory server failure

  private final LookupSession session;
  private final Duration deadline;

  /** Asks {@code servers} in turn, {@code attempts} times each, {@code timeout} per try. */
  public Resolver(List<InetSocketAddress> servers, Duration timeout, int attempts) {
    List<org.xbill.DNS.Resolver> each = new ArrayList<>();
    for (InetSocketAddress server : servers) {
      SimpleResolver simple = new SimpleResolver(server);
      simple.setTimeout(timeout);
      each.add(simple);
    }
    ExtendedResolver extended = new ExtendedResolver(each);
    // The constructor reset each server's timeout to dnsjava's default: set it again.
    for (org.xbill.DNS.Resolver r : extended.getResolvers()) {
      r.setTimeout(timeout);
    }
    extended.setRetries(attempts);
    this.deadline = timeout.multipliedBy((long) attempts * Math.max(1, servers.size()));
    extended.setTimeout(deadline);
    this.session = LookupSession.builder()
        .resolver(extended)
        .cache(new Cache(DClass.IN))
        .defaultHostsFileParser() // /etc/hosts first for A/AAAA, as the C library does
        .clearSearchPath()
        .build();
  }

  /** The resolver main.cf describes (dns_resolver, dns_timeout, dns_attempts). */
  public static Resolver from(Config config) throws ConfigException {
    long ms = config.millis(Params.DNS_TIMEOUT);
    long attempts = config.number(Params.DNS_ATTEMPTS);
    if (ms <= 0) {
      throw new ConfigException("bad " + Params.DNS_TIMEOUT.name() + " value \""
          + config.get(Params.DNS_TIMEOUT) + "\": must be more than 0");
    }
    if (attempts < 1 || attempts > 10) {
      throw new ConfigException("bad " + Params.DNS_ATTEMPTS.name() + " value " + attempts
          + ": expected 1 to 10");
    }
    return new Resolver(NameServers.from(config), Duration.ofMillis(ms), (int) attempts);
  }

  /** The IPv4 and IPv6 addresses of {@code host}: found when either family has some. */
  public Answer<InetAddress> addresses(String host) throws TempFailException {
    Answer<InetAddress> v4 = ipv4(host);
    if (v4.kind() == Answer.Kind.NO_SUCH_DOMAIN) {
      return v4;
    }
    Answer<InetAddress> v6;
    try {
      v6 = lookup(host, Type.AAAA, r -> bare(((AAAARecord) r).getAddress()));
    } catch (TempFailException e) {
      if (v4.found()) {
        return v4; // what we have is usable; the missing family may come next time
      }
      throw e;
    }
    if (!v4.found() && !v6.found()) {
      return v6;
    }
    List<InetAddress> all = new ArrayList<>(v4.records());
    all.addAll(v6.records());
    return Answer.found(all);
  }

  /** The A records of {@code host} (DNSBL answers are IPv4 addresses). */
  public Answer<InetAddress> ipv4(String host) throws TempFailException {
    return lookup(host, Type.A, r -> bare(((ARecord) r).getAddress()));
  }

  /**
   * The MX hosts of {@code domain}, lowest preference first, hosts of equal preference in
   * random order (RFC 5321 section 5.1). NODATA means no MX: the caller may use the domain's
   * own addresses as an implicit MX.
   */
  public Answer<MxHost> mx(String domain) throws TempFailException {
    Answer<MxHost> answer = lookup(domain, Type.MX,
        r -> new MxHost(((MXRecord) r).getPriority(), text(((MXRecord) r).getTarget())));
    if (!answer.found()) {
      return answer;
    }
    List<MxHost> hosts = new ArrayList<>(answer.records());
    Collections.shuffle(hosts);
    hosts.sort(Comparator.comparingInt(MxHost::preference)); // stable: ties stay shuffled
    return Answer.found(hosts);
  }

  /** The names the PTR records of {@code address} give (in-addr.arpa or ip6.arpa). */
  public Answer<String> ptr(InetAddress address) throws TempFailException {
    Name name = ReverseMap.fromAddress(address);
    return lookup(name, name.toString(true), Type.PTR, r -> text(((PTRRecord) r).getTarget()));
  }

  /** The TXT records of {@code name}, each one's strings joined (RFC 7208 section 3.3). */
  public Answer<String> txt(String name) throws TempFailException {
    return lookup(name, Type.TXT, r -> String.join("", ((TXTRecord) r).getStrings()));
  }

  private <T> Answer<T> lookup(String host, int type, Function<Record, T> convert)
      throws TempFailException {
    Name name;
    try {
      name = Name.fromString(IDN.toASCII(host, IDN.ALLOW_UNASSIGNED), Name.root);
    } catch (TextParseException | IllegalArgumentException e) {
      return Answer.noSuchDomain(); // not writable as a DNS name, so not in the DNS
    }
    return lookup(name, host, type, convert);
  }

  private <T> Answer<T> lookup(Name name, String shown, int type, Function<Record, T> convert)
      throws TempFailException {
    List<Record> records;
    try {
      records = session.lookupAsync(name, type).toCompletableFuture()
          .get(deadline.toMillis(), TimeUnit.MILLISECONDS).getRecords();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof NoSuchDomainException) {
        return Answer.noSuchDomain();
      }
      if (cause instanceof NoSuchRRSetException) {
        return Answer.noData();
      }
      // SERVFAIL, REFUSED, a CNAME loop (LookupFailedException), a network error (IOException)
      // or anything else unexpected: the answer may differ next time.
      String why = cause instanceof LookupFailedException || cause instanceof IOException
          ? String.valueOf(cause.getMessage()) : String.valueOf(cause);
      throw failure(shown, type, why, cause);
    } catch (TimeoutException e) {
      throw failure(shown, type, "timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(shown, type, "interrupted", e);
    }
    List<T> out = new ArrayList<>();
    for (Record r : records) {
      if (r.getType() == type) {
        out.add(convert.apply(r));
      }
    }
    return out.isEmpty() ? Answer.noData() : Answer.found(out);
  }

  /** The address without the name dnsjava attaches (it would show in getHostName()). */
  private static InetAddress bare(InetAddress address) {
    try {
      return InetAddress.getByAddress(address.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes from a record cannot fail", e);
    }
  }

  private static String text(Name name) {
    return name.toString(true).toLowerCase(Locale.ROOT);
  }

  /** In Postfix's words: "Name service error for name=x type=MX: ...". */
  private static TempFailException failure(String name, int type, String why, Throwable cause) {
    return new TempFailException(DSN, "Name service error for name=" + name + " type="
        + Type.string(type) + ": " + why, cause);
  }
}
