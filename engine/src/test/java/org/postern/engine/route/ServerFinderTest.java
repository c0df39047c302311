package org.postern.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postern.engine.dns.Dnsmasq;
import org.postern.engine.dns.Resolver;
import org.postern.engine.global.MailException;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.smtp.Endpoint;

/** MX routing against a real DNS server (dnsmasq on loopback) holding only these records. */
class ServerFinderTest {
  private static Dnsmasq dns;
  private static Resolver resolver;

  @BeforeAll
  static void startDns() throws Exception {
    dns = Dnsmasq.start(
        "--mx-host=two.test,mx-b.two.test,20", "--mx-host=two.test,mx-a.two.test,10",
        "--host-record=mx-a.two.test,192.0.2.10", "--host-record=mx-b.two.test,192.0.2.20",
        "--host-record=nomx.test,192.0.2.30,2001:db8::30",
        "--mx-host=nullmx.test,.,0",
        "--mx-host=ghost.test,nowhere.ghost.test,10",
        "--mx-host=self.test,other.self.test,20", "--mx-host=self.test,us.self.test,10",
        "--host-record=us.self.test,127.0.0.1", "--host-record=other.self.test,192.0.2.40",
        "--mx-host=backup.test,primary.backup.test,10",
        "--mx-host=backup.test,us.self.test,20",
        "--host-record=primary.backup.test,192.0.2.50",
        "--cname=alias.test,two.test", "--cname=www.nomx.test,nomx.test");
    resolver = new Resolver(List.of(dns.address()), Duration.ofSeconds(2), 1);
  }

  @AfterAll
  static void stopDns() throws Exception {
    if (dns != null) {
      dns.close();
    }
  }

  /** We listen on port 25 of every local address. */
  private static ServerFinder finder(ServerFinder.Protocols protocols) {
    return new ServerFinder(resolver, protocols,
        a -> a.getPort() == 25 && a.getAddress().isLoopbackAddress());
  }

  private static List<String> found(NextHop hop) throws MailException {
    return finder(ServerFinder.Protocols.ALL).find(hop).stream()
        .map(Endpoint::namaddrport).toList();
  }

  @Test
  void mxHostsInPreferenceOrderOnTheNextHopsPort() throws Exception {
    assertEquals(List.of("mx-a.two.test[192.0.2.10]:25", "mx-b.two.test[192.0.2.20]:25"),
        found(NextHop.domain("two.test")));
    assertEquals(List.of("mx-a.two.test[192.0.2.10]:2525", "mx-b.two.test[192.0.2.20]:2525"),
        found(NextHop.parse("two.test:2525")));
  }

  @Test
  void aCnameIsFollowedForMxAndAddressLookups() throws Exception {
    assertEquals(List.of("mx-a.two.test[192.0.2.10]:25", "mx-b.two.test[192.0.2.20]:25"),
        found(NextHop.domain("alias.test")));
    assertEquals(List.of("www.nomx.test[192.0.2.30]:25"),
        found(NextHop.parse("[www.nomx.test]")).subList(0, 1));
  }

  @Test
  void noMxMeansTheDomainsOwnAddresses() throws Exception {
    assertEquals(List.of("nomx.test[192.0.2.30]:25", "nomx.test[2001:db8:0:0:0:0:0:30]:25"),
        found(NextHop.domain("nomx.test")));
    assertEquals(List.of("nomx.test[192.0.2.30]:25"),
        finder(ServerFinder.Protocols.IPV4).find(NextHop.domain("nomx.test")).stream()
            .map(Endpoint::namaddrport).toList());
  }

  @Test
  void bracketedHostSkipsMxAndAnAddressIsNotLookedUp() throws Exception {
    assertEquals(List.of("mx-a.two.test[192.0.2.10]:587"),
        found(NextHop.parse("[mx-a.two.test]:587")));
    assertEquals(List.of("192.0.2.99[192.0.2.99]:25"), found(NextHop.parse("[192.0.2.99]")));
  }

  @Test
  void nullMxBouncesAtOnce() {
    PermFailException e = assertThrows(PermFailException.class,
        () -> found(NextHop.domain("nullmx.test")));
    assertEquals("5.1.10", e.status().code());
    assertEquals("Domain nullmx.test does not accept mail (nullMX)", e.status().text());
  }

  @Test
  void unknownDomainAndMxHostsWithoutAddressesBounce() {
    PermFailException e = assertThrows(PermFailException.class,
        () -> found(NextHop.domain("nosuch.test")));
    assertEquals("5.4.4", e.status().code());
    assertEquals("Host or domain name not found. Name service error for name=nosuch.test "
        + "type=MX: Host not found", e.status().text());
    assertThrows(PermFailException.class, () -> found(NextHop.domain("ghost.test")));
  }

  @Test
  void beingTheBestMxIsALoopAndABackupMxOnlyTriesBetterHosts() throws Exception {
    PermFailException e = assertThrows(PermFailException.class,
        () -> found(NextHop.domain("self.test")));
    assertEquals("5.4.6", e.status().code());
    assertEquals("mail for self.test loops back to myself", e.status().text());
    assertEquals(List.of("primary.backup.test[192.0.2.50]:25"),
        found(NextHop.domain("backup.test")));
  }

  @Test
  void anUnansweringDnsServerDefers() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Resolver r = new Resolver(List.of((InetSocketAddress) silent.getLocalSocketAddress()),
          Duration.ofMillis(300), 1);
      ServerFinder f = new ServerFinder(r, ServerFinder.Protocols.ALL, a -> false);
      TempFailException e = assertThrows(TempFailException.class,
          () -> f.find(NextHop.domain("two.test")));
      assertEquals("4.4.3", e.status().code());
    }
  }
}
