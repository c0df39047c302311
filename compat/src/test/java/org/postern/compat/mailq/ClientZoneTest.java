package org.postern.compat.mailq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientZoneTest {
  @Test
  void takesTheZoneFromTheClientsTz() {
    assertEquals(ZoneId.of("Europe/Berlin"), ClientZone.of(Optional.of("Europe/Berlin")));
    assertEquals(ZoneId.of("Asia/Tokyo"), ClientZone.of(Optional.of(":Asia/Tokyo")));
    assertEquals(ZoneId.of("America/New_York"),
        ClientZone.of(Optional.of("/usr/share/zoneinfo/America/New_York")));
    assertEquals(ZoneId.of("UTC"), ClientZone.of(Optional.of("UTC")));
    assertEquals(ZoneId.systemDefault(), ClientZone.of(Optional.empty()));
    assertEquals(ZoneId.systemDefault(), ClientZone.of(Optional.of("No/Such_Zone")));
  }
}
