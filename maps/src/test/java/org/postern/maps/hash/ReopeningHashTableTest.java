package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;

/**
 * A table opened through {@link TableOpener} by a long-lived reader follows postmap's
 * rebuilds without being reopened by its owner, and a replacement it cannot read is a
 * temporary lookup failure (mail waits) until the admin rebuilds the table.
 */
class ReopeningHashTableTest {
  @TempDir Path dir;

  private final java.util.Set<java.nio.file.attribute.PosixFilePermission> mode =
      PosixFilePermissions.fromString("rw-r--r--");

  private Table open() throws Exception {
    return new TableOpener(dir, w -> { }).open(TableSpec.parse("hash:aliases"));
  }

  @Test
  void aRebuildIsSeenByTheNextLookup() throws Exception {
    Path db = dir.resolve("aliases.db");
    HashTableWriter.write(db, List.of(Map.entry("root", "alice")), true, mode);
    try (Table t = open()) {
      assertEquals(Optional.of("alice"), t.lookup("root"));
      HashTableWriter.write(db, List.of(Map.entry("root", "bob"), Map.entry("abuse", "root")),
          true, mode);
      assertEquals(Optional.of("bob"), t.lookup("root"));
      assertEquals(Optional.of("root"), t.lookup("abuse"));
    }
  }

  @Test
  void lookupsInOtherThreadsNeverMeetATableAReopenClosed() throws Exception {
    Path db = dir.resolve("aliases.db");
    HashTableWriter.write(db, List.of(Map.entry("root", "v0")), true, mode);
    try (Table t = open()) {
      java.util.concurrent.atomic.AtomicReference<Throwable> failure =
          new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();
      List<Thread> readers = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thread r = new Thread(() -> {
          while (!done.get()) {
            try {
              assertTrue(t.lookup("root").orElseThrow().startsWith("v"));
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
              return;
            }
          }
        });
        readers.add(r);
        r.start();
      }
      for (int gen = 1; gen <= 40 && failure.get() == null; gen++) {
        HashTableWriter.write(db, List.of(Map.entry("root", "v" + gen)), true, mode);
        Thread.sleep(5);
      }
      done.set(true);
      for (Thread r : readers) {
        r.join();
      }
      assertEquals(null, failure.get());
      assertEquals(Optional.of("v40"), t.lookup("root"));
    }
  }

  @Test
  void aForeignReplacementFailsTemporarilyUntilRebuilt() throws Exception {
    Path db = dir.resolve("aliases.db");
    HashTableWriter.write(db, List.of(Map.entry("root", "alice")), true, mode);
    try (Table t = open()) {
      assertEquals(Optional.of("alice"), t.lookup("root"));
      // A Berkeley DB hash file's magic (0x00061561) where ours was, renamed over it.
      Path foreign = dir.resolve("foreign");
      byte[] bdb = new byte[4096];
      bdb[12] = 0x61; bdb[13] = 0x15; bdb[14] = 0x06; bdb[15] = 0x00;
      Files.write(foreign, bdb);
      Files.move(foreign, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      LookupException e = assertThrows(LookupException.class, () -> t.lookup("root"));
      assertTrue(e.getMessage().contains("is not a Postern table: run postmap"), e.getMessage());
      assertThrows(LookupException.class, () -> t.lookup("root"));

      HashTableWriter.write(db, List.of(Map.entry("root", "carol")), true, mode);
      assertEquals(Optional.of("carol"), t.lookup("root"));
    }
  }

  @Test
  void aRemovedTableFailsTemporarilyNotAsNotFound() throws Exception {
    Path db = dir.resolve("aliases.db");
    HashTableWriter.write(db, List.of(Map.entry("root", "alice")), true, mode);
    try (Table t = open()) {
      Files.delete(db);
      LookupException e = assertThrows(LookupException.class, () -> t.lookup("root"));
      assertInstanceOf(org.postern.maps.TableConfigException.class, e.getCause());
    }
  }

  private Table openOptional() throws Exception {
    return new TableOpener(dir, w -> { }).openOptional(TableSpec.parse("hash:access"));
  }

  private void renameOver(Path db, byte[] content) throws Exception {
    Path tmp = dir.resolve("incoming");
    Files.write(tmp, content);
    Files.move(tmp, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void anOptionalTableFollowsItsFileThroughEveryLifeEvent() throws Exception {
    Path db = dir.resolve("access.db");
    try (Table t = openOptional()) {
      // Not there yet: an empty table, not a failure (sendmail's -o map).
      assertEquals(Optional.empty(), t.lookup("From:spammer@example.com"));

      // Created after the open (the admin's first postmap).
      HashTableWriter.write(db, List.of(Map.entry("from:spammer@example.com", "REJECT")),
          true, mode);
      assertEquals(Optional.of("REJECT"), t.lookup("From:spammer@example.com"));

      // Rebuilt.
      HashTableWriter.write(db, List.of(Map.entry("from:spammer@example.com", "DISCARD")),
          true, mode);
      assertEquals(Optional.of("DISCARD"), t.lookup("From:spammer@example.com"));

      // Removed: empty again.
      Files.delete(db);
      assertEquals(Optional.empty(), t.lookup("From:spammer@example.com"));

      // Replaced by a Berkeley DB: a temporary failure naming the fix, on every lookup.
      byte[] bdb = new byte[4096];
      bdb[12] = 0x61; bdb[13] = 0x15; bdb[14] = 0x06; bdb[15] = 0x00;
      renameOver(db, bdb);
      for (int i = 0; i < 2; i++) {
        LookupException e =
            assertThrows(LookupException.class, () -> t.lookup("From:spammer@example.com"));
        assertTrue(e.getMessage().contains(db + " is not a Postern table: run postmap "
            + dir.resolve("access")), e.getMessage());
      }

      // Created again by postmap: answers at once.
      HashTableWriter.write(db, List.of(Map.entry("from:spammer@example.com", "REJECT")),
          true, mode);
      assertEquals(Optional.of("REJECT"), t.lookup("From:spammer@example.com"));
    }
  }

  @Test
  void anOptionalTableThatIsForeignAtOpenIsRefusedAsBefore() throws Exception {
    byte[] bdb = new byte[4096];
    bdb[12] = 0x61; bdb[13] = 0x15; bdb[14] = 0x06; bdb[15] = 0x00;
    renameOver(dir.resolve("access.db"), bdb);
    assertThrows(org.postern.maps.TableConfigException.class, this::openOptional);
  }

  @Test
  void aRequiredTableRemovedAndCreatedAgainRecovers() throws Exception {
    Path db = dir.resolve("aliases.db");
    HashTableWriter.write(db, List.of(Map.entry("root", "alice")), true, mode);
    try (Table t = open()) {
      Files.delete(db);
      assertThrows(LookupException.class, () -> t.lookup("root"));
      assertThrows(LookupException.class, () -> t.lookup("root"));
      HashTableWriter.write(db, List.of(Map.entry("root", "bob")), true, mode);
      assertEquals(Optional.of("bob"), t.lookup("root"));
    }
  }

  @Test
  void listsNoEntriesWhileAnOptionalTableIsAbsentAndChangesVersionWhenCreated() throws Exception {
    Path db = dir.resolve("access.db");
    try (ReopeningHashTable t = (ReopeningHashTable) openOptional()) {
      assertEquals(List.of(), t.entries());
      long absent = t.version();
      assertEquals(absent, t.version());
      HashTableWriter.write(db, List.of(Map.entry("k", "v")), true, mode);
      long created = t.version();
      assertTrue(created != absent);
      assertEquals(created, t.version());
      assertEquals(List.of(Map.entry("k", "v")), t.entries());
    }
  }
}
