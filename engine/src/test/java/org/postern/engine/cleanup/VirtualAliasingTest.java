package org.postern.engine.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.maps.FixedTable;
import org.postern.maps.virtual.VirtualUserTable;

class VirtualAliasingTest {
  private static VirtualAliasing table(String... kv) {
    List<Map.Entry<String, String>> entries = new java.util.ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      entries.add(Map.entry(kv[i], kv[i + 1]));
    }
    return new VirtualAliasing(new VirtualUserTable(FixedTable.of("v", entries, true)),
        "virtusertable", org.postern.maps.source.EntryLocator.none());
  }

  @Test
  void severalAddressesAreEachRewrittenAgain() throws Exception {
    VirtualAliasing v = table("sales@virt.example", "bob, carol@virt.example",
        "@virt.example", "%1@other.example");
    VirtualAliasing.Rewrite w = v.rewrite("sales@virt.example");
    assertEquals(List.of("bob", "carol@other.example"), w.addresses());
    assertEquals("virtusertable sales@virt.example -> bob, carol@virt.example",
        w.steps().get(0).describe());
    assertTrue(w.refusal().isEmpty());
  }

  @Test
  void unmatchedAddressIsLeftAlone() throws Exception {
    VirtualAliasing.Rewrite w = table("a@x.example", "b").rewrite("c@y.example");
    assertFalse(w.rewritten());
    assertEquals(List.of("c@y.example"), w.addresses());
  }

  @Test
  void errorResultIsARefusal() throws Exception {
    VirtualAliasing.Rewrite w =
        table("@virt.example", "error:nouser No such user here").rewrite("x@virt.example");
    assertEquals(550, w.refusal().orElseThrow().code());
    assertEquals("5.1.1", w.refusal().orElseThrow().dsn());
  }

  @Test
  void selfReferenceStopsAndLoopsHitTheLimit() throws Exception {
    assertEquals(List.of("a@x.example", "b"),
        table("a@x.example", "a@x.example b").rewrite("a@x.example").addresses());
    VirtualAliasing.Rewrite loop =
        table("a@x.example", "b@x.example", "b@x.example", "a@x.example").rewrite("a@x.example");
    assertEquals("5.4.6", loop.refusal().orElseThrow().dsn());
  }
}
