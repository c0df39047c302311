package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableContract;

class HashTableTest implements TableContract {
  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

  @TempDir Path dir;
  private final List<Table> opened = new ArrayList<>();

  @AfterEach
  void closeTables() {
    opened.forEach(Table::close);
  }

  /** As postmap does by default: keys folded at build, table marked folded. */
  @Override
  public Table tableOf(Map<String, String> source) throws Exception {
    List<Map.Entry<String, String>> folded = new ArrayList<>();
    source.forEach((k, v) -> folded.add(Map.entry(k.toLowerCase(Locale.ROOT), v)));
    Path db = dir.resolve("contract.db");
    HashTableWriter.write(db, folded, true, MODE);
    return track(HashTable.open(db, "hash:" + dir.resolve("contract")));
  }

  private HashTable track(HashTable t) {
    opened.add(t);
    return t;
  }

  private Path build(String file, boolean folded, String... keyValues) throws IOException {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      entries.add(Map.entry(keyValues[i], keyValues[i + 1]));
    }
    Path db = dir.resolve(file);
    HashTableWriter.write(db, entries, folded, MODE);
    return db;
  }

  private static String refusalOf(Path db) {
    TableConfigException e =
        assertThrows(TableConfigException.class, () -> HashTable.open(db, "hash:x"));
    return e.getMessage();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hash-littleendian.db",
        "hash-bigendian.db",
        "btree-littleendian.db",
        "btree-bigendian.db"
      })
  void refusesABerkeleyDbLeftBySendmailOrPostfix(String fixture) throws IOException {
    // Made with db_load -T -t hash|btree [-c db_lorder=4321] (Berkeley DB 5.3).
    Path db = dir.resolve("aliases.db");
    try (InputStream in = getClass().getResourceAsStream(fixture)) {
      Files.copy(in, db);
    }
    assertEquals(
        db + " is not a Postern table: run postmap " + dir.resolve("aliases"), refusalOf(db));
  }

  @Test
  void refusesAnEmptyFile() throws IOException {
    Path db = Files.createFile(dir.resolve("access.db"));
    assertEquals(
        db + " is not a Postern table: run postmap " + dir.resolve("access"), refusalOf(db));
  }

  @Test
  void refusesGarbage() throws IOException {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    Path db = Files.write(dir.resolve("virtusertable.db"), garbage);
    assertEquals(
        db + " is not a Postern table: run postmap " + dir.resolve("virtusertable"),
        refusalOf(db));
  }

  @Test
  void refusesATruncatedTableOfOursAsDamaged() throws IOException {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      entries.add(Map.entry("key" + i, "value" + i));
    }
    Path db = dir.resolve("t.db");
    HashTableWriter.write(db, entries, true, MODE);
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    String message = refusalOf(db);
    assertTrue(message.startsWith(db + " is a damaged Postern table ("), message);
    assertTrue(message.endsWith("): run postmap " + dir.resolve("t")), message);
  }

  @Test
  void readsATableWrittenByPostmapBeforeTheReaderLeftMapDb() throws Exception {
    // postmap of "user1@example.com value1" .. "user3000@example.com value3000" and
    // "\u00e9@example.org latin" (26 pages of 4 KB), as HashTableWriter (MapDB) writes them.
    Path db = dir.resolve("format1.db");
    try (InputStream in = getClass().getResourceAsStream("postern-format1.db")) {
      Files.copy(in, db);
    }
    HashTable t = track(HashTable.open(db, "hash:format1"));
    assertEquals(3001, t.size());
    for (int i = 1; i <= 3000; i++) {
      assertEquals(Optional.of("value" + i), t.lookup("user" + i + "@example.com"));
    }
    assertEquals(Optional.of("latin"), t.lookup("\u00c9@example.org"));
    assertEquals(Optional.empty(), t.lookup("user0@example.com"));
    assertEquals(Map.entry("user1000@example.com", "value1000"), t.entries().get(0));
    assertEquals(Map.entry("\u00e9@example.org", "latin"), t.entries().get(3000));
  }

  @Test
  void reportsAMissingFileNamingIt() {
    Path db = dir.resolve("missing.db");
    assertEquals("hash:x: " + db + ": no such file", refusalOf(db));
  }

  @Test
  void keepsExactCaseWhenBuiltUnfolded() throws Exception {
    HashTable t = track(HashTable.open(build("t.db", false, "Alice", "1"), "hash:t"));
    assertFalse(t.foldedKeys());
    assertEquals(Optional.of("1"), t.lookup("Alice"));
    assertEquals(Optional.empty(), t.lookup("alice"));
  }

  @Test
  void answersNothingFromAnEmptyTable() throws Exception {
    HashTable t = track(HashTable.open(build("empty.db", true), "hash:empty"));
    assertEquals(0, t.size());
    assertEquals(Optional.empty(), t.lookup("anything"));
    assertEquals(List.of(), t.entries());
  }

  @Test
  void listsEntriesInUtf8KeyOrder() throws Exception {
    Path db =
        build("t.db", true, "b", "2", "\uE000", "5", "a", "1", "\uD83D\uDE00", "6", "é", "4");
    HashTable t = track(HashTable.open(db, "hash:t"));
    assertEquals(
        List.of(
            Map.entry("a", "1"),
            Map.entry("b", "2"),
            Map.entry("é", "4"),
            Map.entry("\uE000", "5"),
            Map.entry("\uD83D\uDE00", "6")),
        t.entries());
  }

  @Test
  void buildsByteIdenticalFilesFromTheSameEntriesInAnyOrder() throws Exception {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      entries.add(Map.entry("user" + i + "@example.com", "value" + i));
    }
    HashTableWriter.write(dir.resolve("a.db"), entries, true, MODE);
    Collections.shuffle(entries, new Random(1));
    HashTableWriter.write(dir.resolve("b.db"), entries, true, MODE);
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.db")), Files.readAllBytes(dir.resolve("b.db")));
    HashTable a = track(HashTable.open(dir.resolve("a.db"), "hash:a"));
    HashTable b = track(HashTable.open(dir.resolve("b.db"), "hash:b"));
    assertEquals(a.entries(), b.entries());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-------", "rw-r-----", "rw-r--r--"})
  void givesTheFileExactlyTheModePassed(String mode) throws IOException {
    Path db = dir.resolve("t.db");
    var perms = PosixFilePermissions.fromString(mode);
    HashTableWriter.write(db, List.of(Map.entry("k", "v")), true, perms);
    assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
  }

  @Test
  void leavesNoTempFileAfterABuild() throws IOException {
    build("t.db", true, "k", "v");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("t.db")), files.toList());
    }
  }

  @Test
  void refusesDuplicateKeysAndLeavesTheOldTableAndNoTempFile() throws Exception {
    Path db = build("t.db", true, "k", "old");
    assertThrows(IllegalArgumentException.class, () -> build("t.db", true, "k", "1", "k", "2"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(db), files.toList());
    }
    assertEquals(Optional.of("old"), track(HashTable.open(db, "hash:t")).lookup("k"));
  }

  @Test
  void oldHandleKeepsAnsweringOldValuesAndTurnsStaleAfterARebuild() throws Exception {
    HashTable old = track(HashTable.open(build("t.db", true, "k", "old"), "hash:t"));
    assertFalse(old.isStale());
    build("t.db", true, "k", "new");
    assertTrue(old.isStale());
    assertEquals(Optional.of("old"), old.lookup("k"));
    HashTable fresh = track(HashTable.open(dir.resolve("t.db"), "hash:t"));
    assertFalse(fresh.isStale());
    assertEquals(Optional.of("new"), fresh.lookup("k"));
  }

  @Test
  void isStaleWhenTheFileIsRemoved() throws Exception {
    HashTable t = track(HashTable.open(build("t.db", true, "k", "v"), "hash:t"));
    Files.delete(dir.resolve("t.db"));
    assertTrue(t.isStale());
    assertEquals(Optional.of("v"), t.lookup("k"));
  }

  @Test
  void holdsAnEntryLongerThanAPage() throws Exception {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      members.append(i == 0 ? "" : ", ").append("member").append(i);
    }
    Path db = dir.resolve("big.db");
    HashTableWriter.write(db, List.of(Map.entry("all", members.toString()),
        Map.entry("one", "x")), true,
        PosixFilePermissions.fromString("rw-r--r--"));
    try (HashTable t = HashTable.open(db, "hash:big")) {
      assertEquals(Optional.of(members.toString()), t.lookup("all"));
      assertEquals(Optional.of("x"), t.lookup("one"));
    }
  }
}
