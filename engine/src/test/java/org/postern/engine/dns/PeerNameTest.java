package org.postern.engine.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.MailLog;

/** The client's name: PTR, then forward confirmation, against a real DNS server. */
class PeerNameTest {
  private static Dnsmasq dns;

  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private PeerName peerName;

  @BeforeAll
  static void startDns() throws Exception {
    dns = Dnsmasq.start(
        // host-record: A/AAAA and the matching PTRs.
        "--host-record=mail.good.example,192.0.2.10,2001:db8::10",
        // A PTR that claims a name whose address is another one.
        "--ptr-record=9.113.0.203.in-addr.arpa,liar.example",
        "--host-record=liar.example,192.0.2.99",
        // A PTR to a name that does not exist, and one that is not a host name.
        "--ptr-record=8.113.0.203.in-addr.arpa,gone.example",
        "--ptr-record=7.113.0.203.in-addr.arpa,bad_-.example");
  }

  @AfterAll
  static void stopDns() throws Exception {
    if (dns != null) {
      dns.close();
    }
  }

  @BeforeEach
  void resolver() {
    peerName = new PeerName(new Resolver(List.of(dns.address()), Duration.ofSeconds(2), 1),
        MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "smtpd"));
  }

  private String log() {
    return logged.toString(StandardCharsets.UTF_8);
  }

  @Test
  void namesAClientWhosePtrNameLeadsBackToItsAddress() throws Exception {
    assertEquals("mail.good.example", peerName.of(InetAddress.getByName("192.0.2.10")));
    assertEquals("mail.good.example", peerName.of(InetAddress.getByName("2001:db8::10")));
    assertEquals("", log());
  }

  @Test
  void callsAClientUnknownWhenItsPtrNameDoesNotLeadBack() throws Exception {
    assertEquals("unknown", peerName.of(InetAddress.getByName("203.0.113.9")));
    assertTrue(log().contains(
        "warning: hostname liar.example does not resolve to address 203.0.113.9\n"), log());
    assertEquals("unknown", peerName.of(InetAddress.getByName("203.0.113.8")));
    assertTrue(log().contains("warning: hostname gone.example does not resolve to address "
        + "203.0.113.8: Name or service not known"), log());
  }

  @Test
  void callsAClientUnknownWithoutPtrOrWithAMalformedOne() throws Exception {
    assertEquals("unknown", peerName.of(InetAddress.getByName("198.51.100.1")));
    assertEquals("", log());
    assertEquals("unknown", peerName.of(InetAddress.getByName("203.0.113.7")));
    assertTrue(log().contains("malformed domain name in resource data of PTR record for "
        + "203.0.113.7: bad_-.example"), log());
  }

  @Test
  void callsAClientUnknownWhenTheDnsDoesNotAnswer() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      PeerName p = new PeerName(new Resolver(
          List.of((InetSocketAddress) silent.getLocalSocketAddress()), Duration.ofMillis(200), 1),
          MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "smtpd"));
      assertEquals("unknown", p.of(InetAddress.getByName("192.0.2.10")));
      assertTrue(log().contains("warning: 192.0.2.10: hostname lookup failed: "
          + "Name service error for name=10.2.0.192.in-addr.arpa type=PTR: timed out"), log());
    }
  }

  @Test
  void takesTheNameTheHostsFileGivesWithoutAskingTheDns(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "# comment\n127.0.0.1\tlocalhost\n"
        + "2001:db8::5 v6host.example v6host # trailing comment\nbad line\n");
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      PeerName p = new PeerName(new Resolver(
          List.of((InetSocketAddress) silent.getLocalSocketAddress()), Duration.ofMillis(200), 1),
          new HostsFile(hosts),
          MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "smtpd"));
      assertEquals("localhost", p.of(InetAddress.getByName("127.0.0.1")));
      assertEquals("v6host.example", p.of(InetAddress.getByName("2001:db8:0::5")));
      assertEquals("", log()); // no DNS query was made: it would have timed out
    }
  }
}
