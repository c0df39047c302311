package org.postern.maps.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.maps.LookupException;
import org.postern.maps.MemoryTable;

class AccessMapTest {
  private static final InetAddress V4 = address("192.0.2.10");
  private static final InetAddress V6 = address("2001:db8::1");

  /** Each key tagged, then untagged: the order proto.m4 asks them in. */
  private static List<String> taggedThenUntagged(String tag, String... keys) {
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      out.add(tag + ":" + k);
      out.add(k);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void assertAsked(List<String> expected, MemoryTable table, AccessLookup l) {
    assertEquals(expected, table.asked());
    assertEquals(expected, l.keysTried());
  }

  @Test
  void sendersAreLookedUpFullAddressThenUserThenDomainAndParents() throws LookupException {
    MemoryTable table = MemoryTable.of();
    AccessLookup l = new AccessMap(table).sender("<User+Ext@Host.Sub.Example.COM.>");
    assertAsked(taggedThenUntagged("from",
        "user+ext@host.sub.example.com", "user+*@host.sub.example.com", "user@host.sub.example.com",
        "user+ext@", "user+*@", "user@",
        "host.sub.example.com", "sub.example.com", "example.com", "com"), table, l);
    assertTrue(l.match().isEmpty());
    assertTrue(l.action().isEmpty());
  }

  @Test
  void senderWithoutDetailHasNoPlusForms() throws LookupException {
    MemoryTable table = MemoryTable.of();
    AccessLookup l = new AccessMap(table).sender("joe@example.com");
    assertAsked(taggedThenUntagged("from", "joe@example.com", "joe@", "example.com", "com"),
        table, l);
  }

  @Test
  void unqualifiedSenderIsLookedUpAsUserOnly() throws LookupException {
    MemoryTable table = MemoryTable.of();
    AccessLookup l = new AccessMap(table).sender("root");
    assertAsked(taggedThenUntagged("from", "root@"), table, l);
  }

  @Test
  void nullSenderIsNotLookedUp() throws LookupException {
    MemoryTable table = MemoryTable.of("from:<>", "REJECT", "<>", "REJECT");
    AccessMap map = new AccessMap(table);
    assertTrue(map.sender("<>").match().isEmpty());
    assertTrue(map.sender("").match().isEmpty());
    assertEquals(List.of(), table.asked());
  }

  @Test
  void taggedKeyWinsOverUntaggedSameKey() throws LookupException {
    MemoryTable table = MemoryTable.of("from:a@x.example", "OK", "a@x.example", "REJECT");
    AccessLookup l = new AccessMap(table).sender("a@x.example");
    assertEquals(Optional.of(new AccessResult.Ok()), l.action());
    assertAsked(List.of("from:a@x.example"), table, l);
  }

  @Test
  void untaggedKeyIsTriedBeforeTheNextTaggedKey() throws LookupException {
    MemoryTable table = MemoryTable.of("a@x.example", "OK", "from:x.example", "REJECT");
    AccessLookup l = new AccessMap(table).sender("a@x.example");
    assertEquals("a@x.example", l.match().orElseThrow().key());
    assertEquals(Optional.of(new AccessResult.Ok()), l.action());
  }

  @Test
  void senderUserKeyWinsOverDomainUnlikePostfix() throws LookupException {
    MemoryTable table = MemoryTable.of("from:a@", "OK", "from:x.example", "REJECT");
    AccessLookup l = new AccessMap(table).sender("a@x.example");
    assertEquals("from:a@", l.match().orElseThrow().key());
  }

  @Test
  void detailFormsMatchBeforePlainAddress() throws LookupException {
    MemoryTable table = MemoryTable.of("from:a+*@x.example", "DISCARD", "from:a@x.example", "OK");
    AccessLookup l = new AccessMap(table).sender("a+news@x.example");
    assertEquals(Optional.of(new AccessResult.Discard()), l.action());
    assertEquals("from:a+*@x.example", l.match().orElseThrow().key());
  }

  @Test
  void parentDomainMatchesSender() throws LookupException {
    MemoryTable table = MemoryTable.of("From:Spam.Example", "REJECT");
    AccessLookup l = new AccessMap(table).sender("x@mx1.spam.example");
    assertEquals(
        "matched from:spam.example -> REJECT => REJECT 550 5.7.1 Access denied",
        l.match().orElseThrow().describe());
  }

  @Test
  void localRecipientsAreLookedUpFullAddressUserThenDomain() throws LookupException {
    MemoryTable table = MemoryTable.of();
    AccessLookup l = new AccessMap(table).recipient("u+d@mail.local.example", true);
    assertAsked(taggedThenUntagged("to",
        "u+d@mail.local.example", "u+*@mail.local.example", "u@mail.local.example",
        "u+d@", "u+*@", "u@",
        "mail.local.example", "local.example", "example"), table, l);
  }

  @Test
  void remoteRecipientsHaveNoUserKeys() throws LookupException {
    MemoryTable table = MemoryTable.of("to:u@", "REJECT");
    AccessLookup l = new AccessMap(table).recipient("u@remote.example", false);
    assertAsked(taggedThenUntagged("to", "u@remote.example", "remote.example", "example"),
        table, l);
    assertTrue(l.match().isEmpty());
  }

  @Test
  void unqualifiedRecipientIsLookedUpAsUser() throws LookupException {
    MemoryTable table = MemoryTable.of();
    AccessLookup l = new AccessMap(table).recipient("postmaster", false);
    assertAsked(taggedThenUntagged("to", "postmaster@"), table, l);
  }

  @Test
  void recipientRejectIsMailboxDisabled() throws LookupException {
    MemoryTable table = MemoryTable.of("to:olduser@", "REJECT");
    AccessLookup l = new AccessMap(table).recipient("olduser@local.example", true);
    assertEquals(Optional.of(new AccessResult.Reject(SmtpReply.MAILBOX_DISABLED)), l.action());
    assertEquals("550 5.2.1 Mailbox disabled for this recipient",
        SmtpReply.MAILBOX_DISABLED.toString());
  }

  @Test
  void clientsAreLookedUpByHostAndParentsThenAddressOctets() throws LookupException {
    MemoryTable table = MemoryTable.of();
    AccessLookup l = new AccessMap(table).client(Optional.of("Mail.Example.ORG."), V4);
    assertAsked(concat(
        taggedThenUntagged("connect", "mail.example.org", "example.org", "org"),
        taggedThenUntagged("connect", "192.0.2.10", "192.0.2", "192.0", "192")), table, l);
  }

  @Test
  void unresolvedClientIsLookedUpByBracketedLiteral() throws LookupException {
    MemoryTable table = MemoryTable.of();
    AccessLookup l = new AccessMap(table).client(Optional.empty(), V4);
    assertAsked(concat(
        taggedThenUntagged("connect", "[192.0.2.10]", "[192.0.2]", "[192.0]", "[192]"),
        taggedThenUntagged("connect", "192.0.2.10", "192.0.2", "192.0", "192")), table, l);
  }

  @Test
  void bracketedKeyMatchesUnresolvedClientOnly() throws LookupException {
    MemoryTable table = MemoryTable.of("Connect:[192.0.2]", "REJECT");
    AccessMap map = new AccessMap(table);
    assertEquals("connect:[192.0.2]",
        map.client(Optional.empty(), V4).match().orElseThrow().key());
    assertTrue(map.client(Optional.of("host.example"), V4).match().isEmpty());
  }

  @Test
  void ipv4AddressIsTruncatedOctetByOctet() throws LookupException {
    MemoryTable table = MemoryTable.of("192.168", "RELAY");
    AccessLookup l =
        new AccessMap(table).client(Optional.of("h.example"), address("192.168.212.1"));
    assertEquals(Optional.of(new AccessResult.Relay()), l.action());
    assertEquals(concat(taggedThenUntagged("connect", "h.example", "example"),
        taggedThenUntagged("connect", "192.168.212.1", "192.168.212", "192.168")),
        l.keysTried());
  }

  @Test
  void ipv6ClientIsLookedUpByGroupsUnderIpv6Prefix() throws LookupException {
    MemoryTable table = MemoryTable.of();
    AccessLookup l = new AccessMap(table).client(Optional.empty(), V6);
    List<String> groups = List.of("ipv6:2001:db8:0:0:0:0:0:1", "ipv6:2001:db8:0:0:0:0:0",
        "ipv6:2001:db8:0:0:0:0", "ipv6:2001:db8:0:0:0", "ipv6:2001:db8:0:0", "ipv6:2001:db8:0",
        "ipv6:2001:db8", "ipv6:2001", "ipv6");
    List<String> expected = new ArrayList<>();
    for (String g : groups) {
      expected.addAll(taggedThenUntagged("connect", "[" + g + "]"));
    }
    for (String g : groups) {
      expected.addAll(taggedThenUntagged("connect", g));
    }
    assertAsked(expected, table, l);
  }

  @Test
  void ipv6NetworkEntryMatchesClient() throws LookupException {
    MemoryTable table = MemoryTable.of("Connect:IPv6:2001:db8", "RELAY");
    AccessLookup l = new AccessMap(table).client(Optional.of("v6.example"), V6);
    assertEquals("connect:ipv6:2001:db8", l.match().orElseThrow().key());
  }

  @Test
  void skipEndsHostFamilyThenAddressIsStillSearched() throws LookupException {
    MemoryTable table = MemoryTable.of(
        "connect:example.org", "SKIP", "connect:org", "REJECT", "connect:192.0.2", "OK");
    AccessLookup l = new AccessMap(table).client(Optional.of("mail.example.org"), V4);
    assertEquals(Optional.of(new AccessResult.Ok()), l.action());
    assertEquals(List.of("connect:mail.example.org", "mail.example.org",
        "connect:example.org", "connect:192.0.2.10", "192.0.2.10", "connect:192.0.2"),
        l.keysTried());
    assertEquals(List.of("connect:example.org"),
        l.skipped().stream().map(AccessMatch::key).toList());
  }

  @Test
  void skipInAddressFamilyGivesNoDecision() throws LookupException {
    MemoryTable table = MemoryTable.of("192.0.2", "SKIP", "connect:192", "REJECT");
    AccessLookup l = new AccessMap(table).client(Optional.of("h.example"), V4);
    assertTrue(l.match().isEmpty());
    assertTrue(!l.keysTried().contains("connect:192"));
    assertEquals("192.0.2", l.skipped().get(0).key());
  }

  @Test
  void skipOnSenderDomainStopsParentDomains() throws LookupException {
    MemoryTable table = MemoryTable.of("from:example.com", "SKIP", "from:com", "REJECT");
    AccessLookup l = new AccessMap(table).sender("a@mx.example.com");
    assertTrue(l.action().isEmpty());
    assertTrue(!table.asked().contains("from:com"));
  }

  @Test
  void skipOnAddressFamilyMovesToUserKeys() throws LookupException {
    MemoryTable table = MemoryTable.of("from:a@x.example", "SKIP", "from:a@", "REJECT");
    AccessLookup l = new AccessMap(table).sender("a@x.example");
    assertEquals("from:a@", l.match().orElseThrow().key());
  }

  @Test
  void relayClientTriesAddressFirstAndOnlyHonoursRelay() throws LookupException {
    MemoryTable table = MemoryTable.of(
        "connect:192.0.2.10", "OK", "connect:example.org", "RELAY");
    AccessLookup l = new AccessMap(table).relayClient(Optional.of("mail.example.org"), V4);
    assertEquals(Optional.of(new AccessResult.Relay()), l.action());
    assertEquals(List.of("connect:192.0.2.10", "connect:mail.example.org", "mail.example.org",
        "connect:example.org"), l.keysTried());
  }

  @Test
  void relayClientWithoutRelayEntryDecidesNothing() throws LookupException {
    MemoryTable table = MemoryTable.of("connect:192.0.2", "REJECT");
    AccessLookup l = new AccessMap(table).relayClient(Optional.empty(), V4);
    assertTrue(l.match().isEmpty());
  }

  @Test
  void relayRecipientLooksUpDomainAndParents() throws LookupException {
    MemoryTable table = MemoryTable.of("To:example.com", "RELAY");
    AccessLookup l = new AccessMap(table).relayRecipient("Sub.Example.com");
    assertEquals(Optional.of(new AccessResult.Relay()), l.action());
    assertEquals(List.of("to:sub.example.com", "sub.example.com", "to:example.com"),
        l.keysTried());
  }

  @Test
  void spamLookupIsTagOnlyFullAddressDomainThenUser() throws LookupException {
    MemoryTable table = MemoryTable.of("u@local.example", "FRIEND");
    SpamLookup l = new AccessMap(table).spam("u+d@local.example", true);
    assertEquals(List.of("spam:u+d@local.example", "spam:u+*@local.example",
        "spam:u@local.example", "spam:local.example", "spam:example",
        "spam:u+d@", "spam:u+*@", "spam:u@"), table.asked());
    assertTrue(l.value().isEmpty());
  }

  @Test
  void spamLookupReturnsRawValue() throws LookupException {
    MemoryTable table = MemoryTable.of("Spam:abuse@", "FRIEND");
    SpamLookup l = new AccessMap(table).spam("abuse@local.example", true);
    assertEquals(Optional.of("FRIEND"), l.value());
    assertEquals(Optional.of("spam:abuse@"), l.key());
    assertTrue(new AccessMap(table).spam("abuse@remote.example", false).value().isEmpty());
  }

  @Test
  void tableFailureIsPassedUpNotReadAsNotFound() {
    MemoryTable table = MemoryTable.of("from:com", "REJECT").failingOn("from:example.com");
    assertThrows(LookupException.class, () -> new AccessMap(table).sender("a@example.com"));
  }

  @Test
  void blankValueIsTreatedAsAbsent() throws LookupException {
    MemoryTable table = MemoryTable.of("from:a@x.example", " ", "from:x.example", "REJECT");
    AccessLookup l = new AccessMap(table).sender("a@x.example");
    assertEquals("from:x.example", l.match().orElseThrow().key());
  }
}
