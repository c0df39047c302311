package org.postern.engine.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postern.engine.route.NextHop;
import org.postern.engine.smtp.TlsLevel;
import org.postern.maps.FixedTable;

class DestinationTlsTest {
  private final DestinationTls tls = new DestinationTls(TlsLevel.MAY, false, FixedTable.of("policy",
      List.of(Map.entry("bank.example", "verify"), Map.entry(".partner.example", "encrypt"),
          Map.entry("[smarthost.example]:587", "encrypt protocols=TLSv1.3"),
          Map.entry("legacy.example", "none"), Map.entry("typo.example", "encyrpt"),
          Map.entry("[smarthost.example]:465", "encrypt wrappermode=yes")), true));

  @Test
  void theDomainItsParentsAndTheExactNextHopChooseTheLevel() throws Exception {
    assertEquals(TlsLevel.VERIFY, tls.level(NextHop.domain("bank.example")));
    assertEquals(TlsLevel.ENCRYPT, tls.level(NextHop.domain("mx.partner.example")));
    assertEquals(TlsLevel.ENCRYPT, tls.level(NextHop.parse("[smarthost.example]:587")));
    assertEquals(TlsLevel.NONE, tls.level(NextHop.domain("legacy.example")));
  }

  @Test
  void otherDestinationsGetTheDefaultAndABadEntryNeverLowersIt() throws Exception {
    assertEquals(TlsLevel.MAY, tls.level(NextHop.domain("elsewhere.example")));
    // [host] entries do not inherit the domain's policy: the bracketed name is exact.
    assertEquals(TlsLevel.MAY, tls.level(NextHop.parse("[bank.example]")));
    assertEquals(TlsLevel.ENCRYPT, tls.level(NextHop.domain("typo.example")));
  }

  @Test
  void implicitTlsIsPerDestinationWithWrappermodeYes() throws Exception {
    assertTrue(tls.wrapperMode(NextHop.parse("[smarthost.example]:465")));
    assertFalse(tls.wrapperMode(NextHop.parse("[smarthost.example]:587")));
    assertFalse(tls.wrapperMode(NextHop.domain("elsewhere.example")));
    DestinationTls global = new DestinationTls(TlsLevel.ENCRYPT, true, FixedTable.of("policy",
        List.of(Map.entry("[plain.example]", "encrypt wrappermode=no")), true));
    assertTrue(global.wrapperMode(NextHop.domain("elsewhere.example")));
    assertFalse(global.wrapperMode(NextHop.parse("[plain.example]")));
  }
}
