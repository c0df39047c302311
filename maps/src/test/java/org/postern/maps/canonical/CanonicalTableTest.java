package org.postern.maps.canonical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.maps.FixedTable;
import org.postern.maps.LookupException;
import org.postern.maps.Table;

/** canonical(5) and generic(5) key order and result forms, as Postfix's mail_addr_map. */
class CanonicalTableTest {
  private static CanonicalTable table(String... kv) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      entries.add(Map.entry(kv[i], kv[i + 1]));
    }
    return new CanonicalTable(FixedTable.of("t", entries, true), "+",
        d -> d.equals("example.org") || d.equals("localhost"));
  }

  private static String map(CanonicalTable t, String address, boolean propagate)
      throws LookupException {
    return t.lookup(address, propagate).map(CanonicalMatch::address).orElse("(none)");
  }

  @Test
  void fullAddressComesBeforeLocalPartAndDomain() throws Exception {
    CanonicalTable t = table("bob@example.org", "full@x", "bob", "user@x", "@example.org",
        "@y");
    assertEquals("full@x", map(t, "bob@example.org", true));
    assertEquals("user@x", map(t, "bob@localhost", true));
    assertEquals("full@x", map(t, "Bob@Example.ORG", true));
    assertEquals("ann@y", map(t, "ann@example.org", true));
  }

  @Test
  void bareUserIsLookedUpOnlyForOwnDomains() throws Exception {
    CanonicalTable t = table("bob", "robert@x");
    assertEquals("robert@x", map(t, "bob@localhost", true));
    assertEquals("(none)", map(t, "bob@elsewhere.net", true));
    assertEquals("robert@x", map(t, "bob", true));
  }

  @Test
  void extensionIsTriedFirstThenStrippedAndPropagated() throws Exception {
    CanonicalTable t = table("bob+list@example.org", "lists@x", "bob@example.org", "rob@x");
    assertEquals("lists@x", map(t, "bob+list@example.org", true));
    assertEquals("rob+news@x", map(t, "bob+news@example.org", true));
    assertEquals("rob@x", map(t, "bob+news@example.org", false));
  }

  @Test
  void extensionOfBareUserKeyIsPropagatedToo() throws Exception {
    CanonicalTable t = table("bob", "rob@x");
    assertEquals("rob+a@x", map(t, "bob+a@example.org", true));
    assertEquals("rob@x", map(t, "bob+a@example.org", false));
  }

  @Test
  void atDomainResultKeepsTheLocalPart() throws Exception {
    CanonicalTable t = table("@old.example", "@new.example", "bob@other.example", "@new.example");
    assertEquals("ann+x@new.example", map(t, "ann+x@old.example", false));
    assertEquals("bob+x@new.example", map(t, "bob+x@other.example", true));
    assertEquals("bob@new.example", map(t, "bob+x@other.example", false));
  }

  @Test
  void firstAddressOfAListCounts() throws Exception {
    assertEquals("a@x", map(table("bob@example.org", "a@x, b@x"), "bob@example.org", true));
  }

  @Test
  void reportsTheKeyAndValueThatMatched() throws Exception {
    Optional<CanonicalMatch> m = table("@example.org", "@y").lookup("ann@example.org", true);
    assertEquals(new CanonicalMatch("@example.org", "@y", "ann@y"), m.orElseThrow());
  }

  @Test
  void nullSenderIsNeverLookedUp() throws Exception {
    assertTrue(table("", "x@y").lookup("", true).isEmpty());
  }

  @Test
  void tableFailureIsNotNotFound() {
    Table broken = new Table() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public Optional<String> lookup(String key) throws LookupException {
        throw new LookupException("down");
      }

      @Override
      public void close() {}
    };
    CanonicalTable t = new CanonicalTable(broken, "+", d -> true);
    assertThrows(LookupException.class, () -> t.lookup("a@b", true));
  }
}
