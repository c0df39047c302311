package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.TempFailException;

/** The standard policy on a real instance and real compiled tables. */
class StandardPolicyTest {
  @TempDir Path root;

  private static final String RELAY_DENIED = "Relay access denied";

  private static ClientFacts outsider() throws Exception {
    return PolicyInstance.client("203.0.113.9", "unknown");
  }

  private static Verdict.Reject rejected(RcptDecision d) {
    return assertInstanceOf(Verdict.Reject.class, d.verdict(), d.toString());
  }

  private static void assertAccepted(RcptDecision d, String deliverTo) {
    assertInstanceOf(Verdict.Accept.class, d.verdict(), d.toString());
    assertEquals(deliverTo, d.deliverTo());
  }

  @Test
  void refusesToRelayForAClientOutsideMynetworks() throws Exception {
    StandardPolicy p = PolicyInstance.create(root).policy();
    Verdict.Reject r = rejected(p.rcptTo(outsider(), "a@b.example", "x@remote.example"));
    assertEquals("554 5.7.1 <x@remote.example>: Relay access denied", r.reply());
  }

  @Test
  void relaysForMynetworksLocalAndAuthenticatedClients() throws Exception {
    StandardPolicy p = PolicyInstance.create(root).policy();
    assertAccepted(
        p.rcptTo(PolicyInstance.client("127.0.0.1", "localhost"), "", "x@remote.example"),
        "x@remote.example");
    assertAccepted(p.rcptTo(PolicyInstance.client("::1", "localhost"), "", "x@remote.example"),
        "x@remote.example");
    ClientFacts o = outsider();
    ClientFacts local = new ClientFacts(o.address(), "unknown", o.helo(), false, false, true);
    ClientFacts auth = new ClientFacts(o.address(), "unknown", o.helo(), true, true, false);
    assertAccepted(p.rcptTo(local, "", "x@remote.example"), "x@remote.example");
    assertAccepted(p.rcptTo(auth, "", "x@remote.example"), "x@remote.example");
  }

  @Test
  void matchesMynetworksCidrBlocksBothFamiliesAndNegations() throws Exception {
    StandardPolicy p = PolicyInstance.create(root,
        "mynetworks = !192.0.2.7 192.0.2.0/24, [2001:db8::]/32").policy();
    String to = "x@remote.example";
    assertAccepted(p.rcptTo(PolicyInstance.client("192.0.2.200", "unknown"), "", to), to);
    assertAccepted(p.rcptTo(PolicyInstance.client("2001:db8:1::5", "unknown"), "", to), to);
    rejected(p.rcptTo(PolicyInstance.client("192.0.2.7", "unknown"), "", to));
    rejected(p.rcptTo(PolicyInstance.client("192.0.3.1", "unknown"), "", to));
    rejected(p.rcptTo(PolicyInstance.client("2001:db9::1", "unknown"), "", to));
    // The old default network is no longer trusted once mynetworks is set.
    rejected(p.rcptTo(PolicyInstance.client("127.0.0.1", "localhost"), "", to));
  }

  @Test
  void matchesDebiansStockMynetworksWithItsIpv4MappedBlock() throws Exception {
    StandardPolicy p = PolicyInstance.create(root,
        "mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128, [::ffff:192.0.2.0]/120")
        .policy();
    String to = "x@remote.example";
    assertAccepted(p.rcptTo(PolicyInstance.client("192.0.2.9", "unknown"), "", to), to);
    assertAccepted(p.rcptTo(PolicyInstance.client("::1", "localhost"), "", to), to);
    rejected(p.rcptTo(PolicyInstance.client("192.0.3.1", "unknown"), "", to));
  }

  @Test
  void failsAtStartupOnAMalformedMynetworks() throws Exception {
    for (String bad : new String[] {"10.0.0.1/8", "10.0.0.0/33", "example.com", "::1/128x",
        "[::ffff:127.0.0.0]/95"}) {
      Path dir = Files.createDirectories(root.resolve(bad.replace('/', '_').replace(':', '_')));
      PolicyInstance i = PolicyInstance.create(dir, "mynetworks = " + bad);
      ConfigException e = assertThrows(ConfigException.class, i::policy, bad);
      assertTrue(e.getMessage().startsWith("mynetworks: "), e.getMessage());
    }
  }

  @Test
  void relaysToRelayDomainsAndTheirSubdomainsButNotToRoutedAddresses() throws Exception {
    Files.writeString(root.resolve("more-domains"), "# partners\nfile.example\n");
    StandardPolicy p = PolicyInstance.create(root,
        "relay_domains = partner.example, .sub.example, !no.partner2.example, partner2.example, "
            + root.resolve("more-domains")).policy();
    ClientFacts o = outsider();
    for (String ok : new String[] {"x@partner.example", "x@a.partner.example",
        "x@a.sub.example", "x@PARTNER2.example.", "x@file.example"}) {
      assertInstanceOf(Verdict.Accept.class, p.rcptTo(o, "", ok).verdict(), ok);
    }
    for (String no : new String[] {"x@sub.example", "x@no.partner2.example",
        "x%evil.example@partner.example", "evil.example!x@partner.example",
        "\"x@evil.example\"@partner.example"}) {
      assertEquals(554, rejected(p.rcptTo(o, "", no)).code(), no);
    }
  }

  @Test
  void relaysWhenTheAccessMapSaysRelayForTheClientOrTheRecipientDomain() throws Exception {
    PolicyInstance i = PolicyInstance.create(root);
    i.table("access", "Connect:198.51.100", "RELAY", "Connect:trusted.example", "RELAY",
        "To:outbound.example", "RELAY", "Connect:203.0.113.9", "OK");
    StandardPolicy p = i.policy();
    String to = "x@remote.example";
    assertAccepted(p.rcptTo(PolicyInstance.client("198.51.100.4", "unknown"), "", to), to);
    assertAccepted(p.rcptTo(PolicyInstance.client("192.0.2.9", "mx.trusted.example"), "", to),
        to);
    assertAccepted(p.rcptTo(outsider(), "", "x@deep.outbound.example"),
        "x@deep.outbound.example");
    // OK is an accept for the client, not a licence to relay.
    assertEquals(new Verdict.Accept(true), p.connect(outsider()));
    rejected(p.rcptTo(outsider(), "", to));
  }

  @Test
  void appliesAccessMapActionsAtConnectAndMail() throws Exception {
    // Senders' domains are made up: their DNS check is StandardPolicyDnsTest's business.
    PolicyInstance i = PolicyInstance.create(root, "accept_unresolvable_domains = yes");
    i.table("access",
        "Connect:192.0.2.66", "REJECT",
        "Connect:spam.example", "ERROR:4.7.1:421 come back later",
        "Connect:192.0.2.77", "DISCARD",
        "From:rejected@sender.example", "REJECT",
        "From:busy.example", "ERROR:4.2.2:450 mailbox full",
        "From:gone.example", "ERROR:\"550 go away\"",
        "From:dropped.example", "DISCARD",
        "From:held.example", "QUARANTINE:looks odd",
        "From:friend.example", "OK",
        "From:skip.example", "SKIP",
        "From:user@", "REJECT");
    StandardPolicy p = i.policy();
    ClientFacts o = outsider();
    assertEquals("550 5.7.1 Access denied",
        ((Verdict.Reject) p.connect(PolicyInstance.client("192.0.2.66", "unknown"))).reply());
    assertEquals("421 4.7.1 come back later",
        ((Verdict.Reject) p.connect(PolicyInstance.client("192.0.2.1", "a.spam.example")))
            .reply());
    assertEquals(new Verdict.Discard(),
        p.connect(PolicyInstance.client("192.0.2.77", "unknown")));
    assertEquals(Verdict.OK, p.connect(o));
    assertEquals(Verdict.OK, p.helo(o, "anything"));
    assertEquals("550 5.7.1 Access denied",
        ((Verdict.Reject) p.mailFrom(o, "rejected@sender.example")).reply());
    assertEquals("450 4.2.2 mailbox full",
        ((Verdict.Reject) p.mailFrom(o, "a@x.busy.example")).reply());
    assertEquals("550 5.0.0 go away", ((Verdict.Reject) p.mailFrom(o, "a@gone.example")).reply());
    assertEquals(new Verdict.Discard(), p.mailFrom(o, "a@dropped.example"));
    assertEquals(new Verdict.Quarantine("looks odd"), p.mailFrom(o, "a@held.example"));
    assertEquals(new Verdict.Accept(true), p.mailFrom(o, "pal@friend.example"));
    assertEquals(Verdict.OK, p.mailFrom(o, "a@unlisted.example"));
    assertEquals(Verdict.OK, p.mailFrom(o, ""));
    // SKIP ends the domain family, but the user@ family came first in sendmail's order.
    assertEquals(550, ((Verdict.Reject) p.mailFrom(o, "user@skip.example")).code());
    assertEquals(Verdict.OK, p.mailFrom(o, "other@skip.example"));
  }

  @Test
  void appliesAccessMapActionsAtRcpt() throws Exception {
    PolicyInstance i = PolicyInstance.create(root);
    i.table("access",
        "To:bob@example.org", "REJECT",
        "To:alice@", "ERROR:5.2.1:550 on holiday",
        "To:dropped@example.org", "DISCARD",
        "To:held.example", "QUARANTINE:inspect",
        "To:ok.example", "OK",
        "To:nobody@example.org", "OK");
    StandardPolicy p = i.policy();
    ClientFacts o = outsider();
    assertEquals("550 5.2.1 Mailbox disabled for this recipient",
        rejected(p.rcptTo(o, "", "bob@example.org")).reply());
    assertEquals("550 5.2.1 on holiday", rejected(p.rcptTo(o, "", "alice@localhost")).reply());
    assertEquals(new Verdict.Discard(), p.rcptTo(o, "", "dropped@example.org").verdict());
    // QUARANTINE does not open the relay; from mynetworks the message is held.
    assertEquals(554, rejected(p.rcptTo(o, "", "x@held.example")).code());
    assertEquals(new Verdict.Quarantine("inspect"),
        p.rcptTo(PolicyInstance.client("127.0.0.1", "localhost"), "", "x@held.example")
            .verdict());
    // An OK entry for a domain is not RELAY.
    assertEquals(554, rejected(p.rcptTo(o, "", "x@ok.example")).code());
    // OK does not make an unknown user known.
    assertEquals(550, rejected(p.rcptTo(o, "", "nobody@example.org")).code());
  }

  @Test
  void rejectsUnknownLocalRecipientsAtRcpt() throws Exception {
    StandardPolicy p = PolicyInstance.create(root).policy();
    ClientFacts o = outsider();
    assertEquals("550 5.1.1 <nobody@example.org>: Recipient address rejected: "
        + "User unknown in local recipient table",
        rejected(p.rcptTo(o, "", "nobody@example.org")).reply());
    assertAccepted(p.rcptTo(o, "", "alice@example.org"), "alice@example.org");
    assertAccepted(p.rcptTo(o, "", "alice+lists@mail.example.org"),
        "alice+lists@mail.example.org");
    assertAccepted(p.rcptTo(o, "", "postmaster@localhost"), "postmaster@localhost");
    assertAccepted(p.rcptTo(o, "", "bob"), "bob");
  }

  @Test
  void acceptsUnknownLocalRecipientsWhenUnlistedRecipientsAreNotRejected() throws Exception {
    StandardPolicy p =
        PolicyInstance.create(root, "smtpd_reject_unlisted_recipient = no").policy();
    assertAccepted(p.rcptTo(outsider(), "", "nobody@example.org"), "nobody@example.org");
  }

  @Test
  void rewritesVirtualRecipientsAndRefusesTheUnlisted() throws Exception {
    PolicyInstance i = PolicyInstance.create(root);
    i.table("virtusertable",
        "info@virtual.example", "alice",
        "sales+*@virtual.example", "bob+%2",
        "full@virtual.example", "error:4.2.2:452 mailbox full",
        "gone@virtual.example", "error:nouser No such user here",
        "@catchall.example", "%1@elsewhere.example",
        "webmaster@example.org", "bob");
    StandardPolicy p = i.policy();
    ClientFacts o = outsider();
    // Queued as given: cleanup rewrites every recipient of every message (issue 15).
    assertAccepted(p.rcptTo(o, "", "info@Virtual.Example."), "info@virtual.example");
    assertAccepted(p.rcptTo(o, "", "sales+eu@virtual.example"), "sales+eu@virtual.example");
    assertAccepted(p.rcptTo(o, "", "anyone@catchall.example"), "anyone@catchall.example");
    // virtusertable applies to our own domains too, before the local users.
    assertAccepted(p.rcptTo(o, "", "webmaster@example.org"), "webmaster@example.org");
    assertEquals("452 4.2.2 mailbox full", rejected(p.rcptTo(o, "", "full@virtual.example"))
        .reply());
    assertEquals("550 5.1.1 No such user here",
        rejected(p.rcptTo(o, "", "gone@virtual.example")).reply());
    assertEquals("550 5.1.1 <nobody@virtual.example>: Recipient address rejected: "
        + "User unknown in virtual alias table",
        rejected(p.rcptTo(o, "", "nobody@virtual.example")).reply());
    // A virtual domain's local part may not route elsewhere either.
    assertEquals(554, rejected(p.rcptTo(o, "", "x%evil.example@catchall.example")).code());
  }

  @Test
  void acceptsEveryRecipientOfAVirtualMailboxDomainWithoutVirtualMailboxMaps() throws Exception {
    StandardPolicy p = PolicyInstance.create(root,
        "virtual_mailbox_domains = store.example").policy();
    ClientFacts o = outsider();
    // A destination of its own (Postfix's virtual mailbox class), not relaying.
    assertAccepted(p.rcptTo(o, "", "anyone@Store.Example."), "anyone@store.example");
    assertEquals(554, rejected(p.rcptTo(o, "", "x@sub.store.example")).code());
    assertEquals(554, rejected(p.rcptTo(o, "", "x%evil.example@store.example")).code());
  }

  @Test
  void refusesRecipientsVirtualMailboxMapsDoesNotList() throws Exception {
    PolicyInstance i = PolicyInstance.create(root, "virtual_mailbox_domains = store.example,"
        + " open.example", "virtual_mailbox_maps = hash:" + root.resolve("vmailbox"));
    i.table("vmailbox", "alice@store.example", "store.example/alice/",
        "@open.example", "catchall/");
    StandardPolicy p = i.policy();
    ClientFacts o = outsider();
    assertAccepted(p.rcptTo(o, "", "alice@store.example"), "alice@store.example");
    assertAccepted(p.rcptTo(o, "", "alice+tag@store.example"), "alice+tag@store.example");
    assertAccepted(p.rcptTo(o, "", "whoever@open.example"), "whoever@open.example");
    assertEquals("550 5.1.1 <Nobody@store.example>: Recipient address rejected: "
        + "User unknown in virtual mailbox table",
        rejected(p.rcptTo(o, "", "Nobody@store.example")).reply());
    StandardPolicy lenient = PolicyInstance.create(Files.createDirectories(root.resolve("x")),
        "virtual_mailbox_domains = store.example", "virtual_mailbox_maps = hash:"
        + root.resolve("vmailbox"), "smtpd_reject_unlisted_recipient = no").policy();
    assertAccepted(lenient.rcptTo(o, "", "nobody@store.example"), "nobody@store.example");
  }

  @Test
  void followsVirtusertableRebuildsWithoutARestart() throws Exception {
    PolicyInstance i = PolicyInstance.create(root);
    i.table("virtusertable", "info@virtual.example", "alice");
    StandardPolicy p = i.policy();
    ClientFacts o = outsider();
    assertEquals(554, rejected(p.rcptTo(o, "", "info@new.example")).code());
    i.table("virtusertable", "info@virtual.example", "alice", "info@new.example", "bob");
    assertAccepted(p.rcptTo(o, "", "info@new.example"), "info@new.example");
    assertEquals(550, rejected(p.rcptTo(o, "", "other@new.example")).code());
  }

  @Test
  void worksWithoutAnyAccessMapOrVirtusertable() throws Exception {
    StandardPolicy p = PolicyInstance.create(root).policy();
    assertEquals(Verdict.OK, p.connect(outsider()));
    assertAccepted(p.rcptTo(outsider(), "", "alice@example.org"), "alice@example.org");
  }

  @Test
  void failsAtStartupWhenASourceHasNoCompiledTable() throws Exception {
    PolicyInstance i = PolicyInstance.create(root);
    Files.writeString(root.resolve("access"), "Connect:192.0.2.1 REJECT\n");
    ConfigException e = assertThrows(ConfigException.class, i::policy);
    assertTrue(e.getMessage().startsWith("access_map: "), e.getMessage());
  }

  @Test
  void defersWhenATableBreaksAfterStartup() throws Exception {
    PolicyInstance i = PolicyInstance.create(root);
    i.table("access", "Connect:192.0.2.66", "REJECT");
    StandardPolicy p = i.policy();
    Files.delete(root.resolve("access.db"));
    Files.writeString(root.resolve("access.db"), "not a table");
    TempFailException e = assertThrows(TempFailException.class, () -> p.connect(outsider()));
    assertEquals("4.3.0", e.status().code());
  }
}
