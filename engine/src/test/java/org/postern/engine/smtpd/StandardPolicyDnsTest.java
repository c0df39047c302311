package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.dns.Dnsmasq;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueId;

/** The standard policy's DNS checks (DNSBL, HELO, sender domain) against a real DNS server. */
class StandardPolicyDnsTest {
  private static final String NIBBLES_2001_DB8_1 =
      "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";

  private static Dnsmasq dns;

  @TempDir Path root;

  @BeforeAll
  static void startDns() throws Exception {
    dns = Dnsmasq.start(
        // Blocklists: 203.0.113.9, 2001:db8::1 and 127.0.0.1 are listed at bl.example; at
        // strict.example (pattern 127.0.0.[2..3]) 198.51.100.5 answers 127.0.0.10 (not
        // counted) and 198.51.100.6 answers 127.0.0.3.
        "--host-record=9.113.0.203.bl.example,127.0.0.2",
        "--txt-record=9.113.0.203.bl.example,Listed: see https://bl.example/q?ip=203.0.113.9",
        "--host-record=" + NIBBLES_2001_DB8_1 + ".bl.example,127.0.0.4",
        "--host-record=1.0.0.127.bl.example,127.0.0.2",
        "--host-record=50.2.0.192.bl.example,127.0.0.2",
        "--host-record=51.2.0.192.bl.example,127.0.0.2",
        "--host-record=5.100.51.198.strict.example,127.0.0.10",
        "--host-record=6.100.51.198.strict.example,127.0.0.3",
        // Domains: MX only, address only, MX whose name has no address, null MX, no records.
        "--mx-host=mx.example,mail.mx.example,10",
        "--host-record=a.example,192.0.2.20",
        "--host-record=v6.example,2001:db8::20",
        "--mx-host=nullmx.example,.,0",
        "--txt-record=txtonly.example,v=spf1 -all");
  }

  @AfterAll
  static void stopDns() throws Exception {
    if (dns != null) {
      dns.close();
    }
  }

  private StandardPolicy policy(String... mainCf) throws Exception {
    List<String> lines = new ArrayList<>(List.of("dns_resolver = " + dns.resolver()));
    lines.addAll(List.of(mainCf));
    return PolicyInstance.create(root, lines.toArray(String[]::new)).policy();
  }

  /** A resolver port where nothing listens: every lookup fails at once (port unreachable). */
  private static int closedPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static ClientFacts client(String ip) throws Exception {
    return PolicyInstance.client(ip, "unknown");
  }

  private static String reply(Verdict v) {
    return assertInstanceOf(Verdict.Reject.class, v, v.toString()).reply();
  }

  private String log() throws Exception {
    Path log = root.resolve("log/maillog");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  void rejectsAClientListedInADnsblWithSendmailsWordsAndLogsTheReason() throws Exception {
    StandardPolicy p = policy("smtpd_dnsbl_zones = bl.example");
    assertEquals("550 5.7.1 Rejected: 203.0.113.9 listed at bl.example",
        reply(p.connect(client("203.0.113.9"))));
    assertTrue(log().contains("postern/smtpd[") && log().contains(
        "]: dnsbl: unknown[203.0.113.9] listed at bl.example (127.0.0.2): "
            + "Listed: see https://bl.example/q?ip=203.0.113.9\n"), log());
    assertEquals("550 5.7.1 Rejected: 2001:db8:0:0:0:0:0:1 listed at bl.example",
        reply(p.connect(client("2001:db8::1"))));
    assertEquals(Verdict.OK, p.connect(client("203.0.113.10")));
  }

  @Test
  void countsOnlyTheAnswersAZonePatternAllows() throws Exception {
    StandardPolicy p = policy("smtpd_dnsbl_zones = strict.example=127.0.0.[2..3], bl.example");
    assertEquals(Verdict.OK, p.connect(client("198.51.100.5")));
    assertEquals("550 5.7.1 Rejected: 198.51.100.6 listed at strict.example",
        reply(p.connect(client("198.51.100.6"))));
    // Zones are asked in order; the first listing decides.
    assertEquals("550 5.7.1 Rejected: 203.0.113.9 listed at bl.example",
        reply(p.connect(client("203.0.113.9"))));
  }

  @Test
  void exemptsTrustedClientsFromTheDnsbl() throws Exception {
    PolicyInstance i = PolicyInstance.create(root, "dns_resolver = " + dns.resolver(),
        "smtpd_dnsbl_zones = bl.example");
    i.table("access", "Connect:192.0.2.50", "OK", "Connect:192.0.2.51", "RELAY");
    StandardPolicy p = i.policy();
    assertEquals(Verdict.OK, p.connect(PolicyInstance.client("127.0.0.1", "localhost")));
    assertEquals(new Verdict.Accept(true), p.connect(client("192.0.2.50")));
    assertEquals(new Verdict.Accept(true), p.connect(client("192.0.2.51")));
    ClientFacts o = client("203.0.113.9");
    assertEquals(Verdict.OK,
        p.connect(new ClientFacts(o.address(), "unknown", o.helo(), false, false, true)));
  }

  @Test
  void acceptsAndWarnsWhenADnsblCannotBeAsked() throws Exception {
    StandardPolicy p = policy("smtpd_dnsbl_zones = bl.example",
        "dns_resolver = 127.0.0.1:" + closedPort(), "dns_timeout = 1s", "dns_attempts = 1");
    assertEquals(Verdict.OK, p.connect(client("203.0.113.9")));
    assertTrue(log().contains("warning: dnsbl lookup of 9.113.0.203.bl.example for "
        + "unknown[203.0.113.9] failed, not rejecting: Name service error for "
        + "name=9.113.0.203.bl.example type=A"), log());
  }

  @Test
  void failsAtStartupOnAMalformedDnsblItem() throws Exception {
    PolicyInstance i = PolicyInstance.create(root, "smtpd_dnsbl_zones = bl.example=127.0.0");
    ConfigException e = assertThrows(ConfigException.class, i::policy);
    assertTrue(e.getMessage().startsWith("smtpd_dnsbl_zones: item \"bl.example=127.0.0\""),
        e.getMessage());
  }

  @Test
  void rejectsAMalformedHeloNameButNotAddressLiterals() throws Exception {
    StandardPolicy p = policy();
    ClientFacts o = client("203.0.113.10");
    assertEquals("501 5.5.2 <bad..name>: Helo command rejected: Invalid name",
        reply(p.helo(o, "bad..name")));
    for (String bad : List.of("-x.example", "x_.example.", "a b", "[1.2.3]", "[IPv6:zz::1]",
        "x@example.org", "[300.1.1.1]")) {
      assertEquals(501, ((Verdict.Reject) p.helo(o, bad)).code(), bad);
    }
    for (String good : List.of("client.example.org", "localhost", "under_score.example",
        "[192.0.2.1]", "[IPv6:2001:db8::1]", "[ipv6:::1]", "192.0.2.1", "xn--bcher-kva.example")) {
      assertEquals(Verdict.OK, p.helo(o, good), good);
    }
    // Trusted clients are not checked.
    assertEquals(Verdict.OK, p.helo(PolicyInstance.client("127.0.0.1", "localhost"), "a..b"));
    // And the check can be turned off.
    assertEquals(Verdict.OK, PolicyInstance.create(Files.createDirectories(root.resolve("off")),
        "smtpd_reject_invalid_helo_hostname = no").policy().helo(o, "bad..name"));
  }

  @Test
  void rejectsAHeloNameUnknownToTheDnsOnlyWhenAsked() throws Exception {
    ClientFacts o = client("203.0.113.10");
    assertEquals(Verdict.OK, policy().helo(o, "nothere.example"));
    Files.createDirectories(root.resolve("strict"));
    StandardPolicy p = PolicyInstance.create(root.resolve("strict"),
        "dns_resolver = " + dns.resolver(), "smtpd_reject_unknown_helo_hostname = yes").policy();
    assertEquals("450 4.7.1 <nothere.example>: Helo command rejected: Host not found",
        reply(p.helo(o, "nothere.example")));
    assertEquals(450, ((Verdict.Reject) p.helo(o, "txtonly.example")).code());
    for (String known : List.of("a.example", "v6.example", "mx.example", "[192.0.2.1]",
        "192.0.2.1")) {
      assertEquals(Verdict.OK, p.helo(o, known), known);
    }
  }

  @Test
  void defersAnUnknownHeloWhenTheDnsCannotBeAsked() throws Exception {
    StandardPolicy p = policy("smtpd_reject_unknown_helo_hostname = yes",
        "dns_resolver = 127.0.0.1:" + closedPort(), "dns_timeout = 1s");
    assertEquals("450 4.7.1 <a.example>: Helo command rejected: Host not found",
        reply(p.helo(client("203.0.113.10"), "a.example")));
    assertTrue(log().contains("warning: HELO name a.example lookup failed: "), log());
  }

  @Test
  void acceptsSendersWhoseDomainHasAnMxOrAnAddress() throws Exception {
    StandardPolicy p = policy();
    ClientFacts o = client("203.0.113.10");
    for (String sender : List.of("x@mx.example", "x@a.example", "x@v6.example", "x@A.Example.",
        "", "x@example.org", "x@[192.0.2.1]", "unqualified")) {
      assertEquals(Verdict.OK, p.mailFrom(o, sender), sender);
    }
  }

  @Test
  void refusesSendersWhoseDomainDoesNotExistInPostfixsWords() throws Exception {
    StandardPolicy p = policy();
    ClientFacts o = client("203.0.113.10");
    assertEquals("550 5.1.8 <x@nothere.example>: Sender address rejected: Domain not found",
        reply(p.mailFrom(o, "x@nothere.example")));
    // The name exists, but has neither MX nor address: no bounce could reach it either.
    assertEquals(550, ((Verdict.Reject) p.mailFrom(o, "x@txtonly.example")).code());
    assertEquals("550 5.7.27 <x@nullmx.example>: Sender address rejected: Domain "
        + "nullmx.example does not accept mail (nullMX)",
        reply(p.mailFrom(o, "x@nullmx.example")));
  }

  @Test
  void defersSendersWhoseDomainCannotBeLookedUpNow() throws Exception {
    // A server that never answers: the lookup times out, which is not "does not exist".
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      StandardPolicy p = policy("dns_resolver = 127.0.0.1:" + silent.getLocalPort(),
          "dns_timeout = 1s", "dns_attempts = 1");
      assertEquals("450 4.1.8 <x@mx.example>: Sender address rejected: Domain not found",
          reply(p.mailFrom(client("203.0.113.10"), "x@mx.example")));
    }
  }

  @Test
  void exemptsTrustedClientsAndAccessMapEntriesFromTheSenderDomainCheck() throws Exception {
    PolicyInstance i = PolicyInstance.create(root, "dns_resolver = " + dns.resolver());
    i.table("access", "Connect:192.0.2.50", "OK", "Connect:192.0.2.51", "RELAY",
        "From:friend.example", "OK", "From:nothere2.example", "REJECT");
    StandardPolicy p = i.policy();
    String sender = "x@nothere.example";
    assertEquals(Verdict.OK, p.mailFrom(PolicyInstance.client("127.0.0.1", "localhost"), sender));
    assertEquals(Verdict.OK, p.mailFrom(client("192.0.2.50"), sender));
    assertEquals(Verdict.OK, p.mailFrom(client("192.0.2.51"), sender));
    assertEquals(new Verdict.Accept(true), p.mailFrom(client("203.0.113.10"), "x@friend.example"));
    // The access map speaks first.
    assertEquals("550 5.7.1 Access denied",
        reply(p.mailFrom(client("203.0.113.10"), "x@nothere2.example")));
  }

  @Test
  void acceptsUnresolvableSenderDomainsWhenConfigured() throws Exception {
    StandardPolicy p = policy("accept_unresolvable_domains = yes");
    assertEquals(Verdict.OK, p.mailFrom(client("203.0.113.10"), "x@nothere.example"));
  }

  @Test
  void refusesAListedClientAtRcptThroughTheSessionAndLogsItAsPostfixDoes() throws Exception {
    PolicyInstance i = PolicyInstance.create(root, "dns_resolver = " + dns.resolver(),
        "smtpd_dnsbl_zones = bl.example", "smtpd_forbid_unauth_pipelining = no");
    Config config = Config.load(root);
    MailSystem system = MailSystem.open(config);
    SessionContext context = new SessionContext(SessionSettings.from(config), ServerTls.none(),
        i.policy(), new RefusingIntake(), system.log("smtpd"), () -> { }, Clock.systemDefaultZone());
    String script = "EHLO client.example\r\nMAIL FROM:<x@nothere.example>\r\n"
        + "RCPT TO:<alice@example.org>\r\nQUIT\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new SmtpSession(context, client("203.0.113.9"),
        new ByteArrayInputStream(script.getBytes(StandardCharsets.US_ASCII)), out,
        Optional.empty()).run();
    List<String> replies = out.toString(StandardCharsets.US_ASCII).lines()
        .filter(l -> !l.startsWith("250-")).toList();
    // Every stage answers as usual; the connect stage's DNSBL verdict refuses the RCPT first.
    assertEquals(List.of("220 mail.example.org ESMTP Postern", "250 CHUNKING", "250 2.1.0 Ok",
        "550 5.7.1 Rejected: 203.0.113.9 listed at bl.example", "221 2.0.0 Bye"), replies);
    assertTrue(log().contains("NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 550 5.7.1 "
        + "Rejected: 203.0.113.9 listed at bl.example; from=<x@nothere.example> "
        + "to=<alice@example.org> proto=ESMTP helo=<client.example>\n"), log());
  }

  /** The session tests never reach DATA. */
  private static final class RefusingIntake implements SmtpIntake {
    @Override
    public MessageSink open(QueueId id, Envelope envelope, Optional<String> hold,
        boolean localClient)
        throws TempFailException {
      throw new TempFailException("4.3.0", "not in this test");
    }
  }
}
