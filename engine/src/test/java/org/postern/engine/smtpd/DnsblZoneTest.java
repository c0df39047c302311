package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** smtpd_dnsbl_zones items: the names looked up and the answers that count. */
class DnsblZoneTest {
  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  @Test
  void looksUpIpv4ClientsOctetByOctetInReverse() throws Exception {
    DnsblZone z = DnsblZone.parse("Zen.Spamhaus.org.");
    assertEquals("zen.spamhaus.org", z.zone());
    assertEquals("9.113.0.203.zen.spamhaus.org", z.query(ip("203.0.113.9")));
  }

  @Test
  void looksUpIpv6ClientsNibbleByNibbleInReverse() throws Exception {
    assertEquals("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example",
        DnsblZone.parse("bl.example").query(ip("2001:db8::1")));
  }

  @Test
  void countsAnyAnswerWithoutAPattern() throws Exception {
    assertTrue(DnsblZone.parse("bl.example").counts(ip("127.0.0.2")));
    assertTrue(DnsblZone.parse("bl.example").counts(ip("127.0.1.255")));
  }

  @Test
  void countsOnlyAnswersMatchingThePattern() throws Exception {
    DnsblZone exact = DnsblZone.parse("bl.example=127.0.0.2");
    assertTrue(exact.counts(ip("127.0.0.2")));
    assertFalse(exact.counts(ip("127.0.0.3")));
    DnsblZone ranged = DnsblZone.parse("bl.example=127.0.[0;2].[2..11;20]");
    for (String yes : List.of("127.0.0.2", "127.0.0.11", "127.0.2.5", "127.0.0.20")) {
      assertTrue(ranged.counts(ip(yes)), yes);
    }
    for (String no : List.of("127.0.0.1", "127.0.0.12", "127.0.1.5", "127.0.0.19", "128.0.0.2")) {
      assertFalse(ranged.counts(ip(no)), no);
    }
  }

  @Test
  void refusesMalformedItems() {
    for (String bad : List.of("bl..example", "bl.example=127.0.0", "bl.example=127.0.0.256",
        "bl.example=127.0.0.[5..2]", "bl.example=127.0.0.[2", "bl.example=127.0.0.2.1",
        "bl.example=127.0.0.[2]x", "bl.example=", "=127.0.0.2")) {
      assertThrows(IllegalArgumentException.class, () -> DnsblZone.parse(bad), bad);
    }
  }
}
