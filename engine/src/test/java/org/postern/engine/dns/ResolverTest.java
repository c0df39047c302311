package org.postern.engine.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.TempFailException;

/** The resolver against a real DNS server (dnsmasq) and against servers that fail. */
class ResolverTest {
  private static Dnsmasq dns;
  private static Resolver resolver;

  @TempDir Path root;

  @BeforeAll
  static void startDns() throws Exception {
    dns = Dnsmasq.start(
        "--host-record=mail.good.example,192.0.2.10,2001:db8::10",
        "--host-record=v4only.example,192.0.2.11",
        "--mx-host=good.example,mx3.good.example,30",
        "--mx-host=good.example,mail.good.example,10",
        "--mx-host=good.example,mx2.good.example,20",
        "--mx-host=nullmx.example,.,0",
        "--txt-record=2.0.0.127.bl.example,listed for spam,see https://bl.example",
        "--ptr-record=9.113.0.203.in-addr.arpa,liar.example");
    resolver = new Resolver(List.of(dns.address()), Duration.ofSeconds(2), 1);
  }

  @AfterAll
  static void stopDns() throws Exception {
    if (dns != null) {
      dns.close();
    }
  }

  @Test
  void findsAddressesOfBothFamilies() throws Exception {
    Answer<InetAddress> a = resolver.addresses("mail.good.example");
    assertEquals(
        List.of(InetAddress.getByName("192.0.2.10"), InetAddress.getByName("2001:db8::10")),
        a.records());
    assertEquals(List.of(InetAddress.getByName("192.0.2.11")),
        resolver.addresses("V4ONLY.example.").records());
    assertEquals(Answer.Kind.NO_DATA, resolver.ipv4("good.example").kind());
  }

  @Test
  void sortsMxHostsByPreference() throws Exception {
    Answer<MxHost> mx = resolver.mx("good.example");
    assertEquals(List.of(new MxHost(10, "mail.good.example"), new MxHost(20, "mx2.good.example"),
        new MxHost(30, "mx3.good.example")), mx.records());
    assertTrue(resolver.mx("nullmx.example").records().get(0).nullMx());
  }

  @Test
  void tellsANameThatDoesNotExistFromANameWithoutThatRecord() throws Exception {
    assertEquals(Answer.Kind.NO_SUCH_DOMAIN, resolver.mx("nothere.example").kind());
    assertEquals(Answer.Kind.NO_SUCH_DOMAIN, resolver.addresses("nothere.example").kind());
    assertEquals(Answer.Kind.NO_DATA, resolver.mx("mail.good.example").kind());
    // Not writable in the DNS at all: cannot exist.
    assertEquals(Answer.Kind.NO_SUCH_DOMAIN, resolver.mx("bad..name.example").kind());
  }

  @Test
  void findsPtrNamesOfIpv4AndIpv6Addresses() throws Exception {
    assertEquals(List.of("liar.example"),
        resolver.ptr(InetAddress.getByName("203.0.113.9")).records());
    assertEquals(List.of("mail.good.example"),
        resolver.ptr(InetAddress.getByName("2001:db8::10")).records());
    assertEquals(Answer.Kind.NO_SUCH_DOMAIN,
        resolver.ptr(InetAddress.getByName("198.51.100.1")).kind());
  }

  @Test
  void joinsTheStringsOfATxtRecord() throws Exception {
    assertEquals(List.of("listed for spamsee https://bl.example"),
        resolver.txt("2.0.0.127.bl.example").records());
  }

  @Test
  void failsTemporarilyWhenTheServerDoesNotAnswer() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Resolver r = new Resolver(List.of((InetSocketAddress) silent.getLocalSocketAddress()),
          Duration.ofMillis(300), 1);
      long start = System.nanoTime();
      TempFailException e = assertThrows(TempFailException.class, () -> r.mx("good.example"));
      assertEquals("4.4.3", e.status().code());
      assertEquals("Name service error for name=good.example type=MX: timed out",
          e.getMessage());
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
      assertThrows(TempFailException.class, () -> r.addresses("mail.good.example"));
    }
  }

  @Test
  void failsTemporarilyWhenNothingListens() throws Exception {
    int port;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Resolver r = new Resolver(List.of(new InetSocketAddress("127.0.0.1", port)),
        Duration.ofMillis(300), 2);
    assertThrows(TempFailException.class, () -> r.ptr(InetAddress.getByName("203.0.113.9")));
  }

  @Test
  void failsTemporarilyWhenTheServerRefuses() throws Exception {
    try (Dnsmasq refusing = Dnsmasq.startRefusingUnknown("--host-record=a.example,192.0.2.1")) {
      Resolver r = new Resolver(List.of(refusing.address()), Duration.ofSeconds(2), 1);
      assertTrue(r.ipv4("a.example").found());
      TempFailException e = assertThrows(TempFailException.class, () -> r.ipv4("b.example"));
      assertTrue(e.getMessage().contains("REFUSED"), e.getMessage());
    }
  }

  @Test
  void readsServersTimeoutAndAttemptsFromMainCf() throws Exception {
    Files.writeString(root.resolve("main.cf"), "dns_resolver = " + dns.resolver()
        + "\ndns_timeout = 1s\ndns_attempts = 1\n");
    Resolver r = Resolver.from(Config.load(root));
    assertEquals(Answer.Kind.FOUND, r.mx("good.example").kind());
  }

  @Test
  void parsesServerItemsOfBothFamilies() throws Exception {
    assertEquals(new InetSocketAddress("192.0.2.1", 53), NameServers.parse("192.0.2.1"));
    assertEquals(new InetSocketAddress("192.0.2.1", 5353), NameServers.parse("192.0.2.1:5353"));
    assertEquals(new InetSocketAddress("2001:db8::1", 53), NameServers.parse("2001:db8::1"));
    assertEquals(new InetSocketAddress("2001:db8::1", 53), NameServers.parse("[2001:db8::1]"));
    assertEquals(new InetSocketAddress("::1", 5353), NameServers.parse("[::1]:5353"));
    assertEquals(new InetSocketAddress("192.0.2.1", 53), NameServers.parse("[192.0.2.1]"));
    for (String bad : List.of("ns.example", "192.0.2.1:0", "192.0.2.1:x",
        "[::1", "[::1]5353", "300.0.0.1", "192.0.2.1:70000")) {
      ConfigException e = assertThrows(ConfigException.class, () -> NameServers.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("bad dns_resolver item"), e.getMessage());
    }
  }
}
