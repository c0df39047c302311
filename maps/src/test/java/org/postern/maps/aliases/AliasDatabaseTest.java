package org.postern.maps.aliases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.maps.hash.HashTable;

/** The compiled aliases table, read back through the same HashTable that lookups use. */
class AliasDatabaseTest {
  @TempDir Path dir;

  private Path source(String text) throws IOException {
    Path source = dir.resolve("aliases");
    Files.writeString(source, text);
    return source;
  }

  private static List<Map.Entry<String, String>> entries(Path db) throws Exception {
    try (HashTable t = HashTable.open(db, "hash:aliases")) {
      return t.entries();
    }
  }

  @Test
  void writesEveryAliasAndTheSentinelBesideTheSource() throws Exception {
    Path source = source("Root: alice\npostmaster: root\nstaff: alice,\n  bob\n");

    AliasDatabase.build(source, AliasSource.read(source));

    assertEquals(
        List.of(Map.entry("@", "@"), Map.entry("postmaster", "root"),
            Map.entry("root", "alice"), Map.entry("staff", "alice,  bob")),
        entries(dir.resolve("aliases.db")));
  }

  @Test
  void foldsLookupKeysAsNewaliasesFoldedTheNames() throws Exception {
    Path source = source("PostMaster: root\n");

    AliasDatabase.build(source, AliasSource.read(source));

    try (HashTable t = HashTable.open(dir.resolve("aliases.db"), "hash:aliases")) {
      assertEquals(Optional.of("root"), t.lookup("POSTMASTER"));
    }
  }

  @Test
  void writesOnlyTheSentinelForAFileWithoutAliases() throws Exception {
    Path source = source("# nothing yet\n");

    AliasDatabase.build(source, AliasSource.read(source));

    assertEquals(List.of(Map.entry("@", "@")), entries(dir.resolve("aliases.db")));
  }

  @Test
  void rebuildReplacesTheOldTableAndLeavesNoTempFile() throws Exception {
    Path source = source("old: x\nkept: y\n");
    AliasDatabase.build(source, AliasSource.read(source));
    Files.writeString(source, "kept: z\nnew: w\n");

    AliasDatabase.build(source, AliasSource.read(source));

    assertEquals(List.of(Map.entry("@", "@"), Map.entry("kept", "z"), Map.entry("new", "w")),
        entries(dir.resolve("aliases.db")));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("aliases", "aliases.db"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void takesTheSourcesReadBitsForTheTable() throws Exception {
    Path source = source("a: b\n");
    Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r-----"));

    AliasDatabase.build(source, AliasSource.read(source));
    assertEquals("rw-r-----", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("aliases.db"))));

    Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("r--r--r--"));
    AliasDatabase.build(source, AliasSource.read(source));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("aliases.db"))));
  }

  @Test
  void failsAndLeavesNoTempFileWhenTheTableCannotBeReplaced() throws Exception {
    // A non-empty directory where the table goes: the rename fails even for root.
    Path source = source("a: b\n");
    Files.createDirectories(dir.resolve("aliases.db").resolve("inside"));

    assertThrows(IOException.class, () -> AliasDatabase.build(source, AliasSource.read(source)));

    assertTrue(Files.isDirectory(dir.resolve("aliases.db").resolve("inside")));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("aliases", "aliases.db"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
