package org.postern.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.maps.source.EntryLocator;

class TableListTest {
  @TempDir Path dir;

  @Test
  void theFirstTableHoldingTheKeyAnswers() throws Exception {
    TableList list = new TableList(List.of(MemoryTable.of("a", "first"),
        MemoryTable.of("a", "second", "b", "only-second")));

    assertEquals(Optional.of("first"), list.lookup("a"));
    assertEquals(Optional.of("only-second"), list.lookup("b"));
    assertEquals(Optional.empty(), list.lookup("c"));
  }

  @Test
  void aFailingTableFailsTheLookupInsteadOfPassingItOn() {
    TableList list = new TableList(List.of(MemoryTable.of().failingOn("a"),
        MemoryTable.of("a", "second")));

    assertThrows(LookupException.class, () -> list.lookup("a"));
  }

  @Test
  void locatesTheEntryInTheSourceOfTheTableThatAnswered() throws Exception {
    Path one = Files.writeString(dir.resolve("one"), "# one\nshared one\n");
    Path two = Files.writeString(dir.resolve("two"), "only two\n\nshared two\n");
    EntryLocator locator = new EntryLocator(List.of(
        new EntryLocator.Member(MemoryTable.of("shared", "one"), Optional.of(one)),
        new EntryLocator.Member(MemoryTable.of("inline", "x"), Optional.empty()),
        new EntryLocator.Member(MemoryTable.of("only", "two", "shared", "two"),
            Optional.of(two))));

    assertEquals(Optional.of(one + ":2"), locator.find("shared"));
    assertEquals(Optional.of(two + ":1"), locator.find("only"));
    assertEquals(Optional.empty(), locator.find("inline"));
    assertEquals(Optional.empty(), locator.find("missing"));
  }
}
