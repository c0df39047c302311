package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebuild test: a reader looping over lookups through a {@link ReopeningHashTable}
 * (as the daemon holds tables) while the table is rebuilt 20 times (rename-over) never sees an
 * error or a missing key, follows the rebuilds, and ends on the last build's values.
 */
class HashTableRebuildTest {
  private static final int KEYS = 2000;
  private static final int REBUILDS = 20;

  @TempDir Path dir;

  private static List<Map.Entry<String, String>> generation(int g) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      entries.add(Map.entry("user" + i + "@example.com", "gen" + g + "-" + i));
    }
    return entries;
  }

  @Test
  void readerNeverSeesAnErrorOrAMissingKeyDuring20Rebuilds() throws Exception {
    Path db = dir.resolve("virtual.db");
    var mode = PosixFilePermissions.fromString("rw-r--r--");
    HashTableWriter.write(db, generation(0), true, mode);
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger reopens = new AtomicInteger();
    AtomicInteger lastGeneration = new AtomicInteger(-1);
    Thread reader =
        new Thread(
            () -> {
              try {
                ReopeningHashTable table = ReopeningHashTable.open(
                    db, "hash:virtual", ReopeningHashTable.Absence.REQUIRED);
                boolean finalPass = false;
                String previous = null;
                while (!finalPass) {
                  // Read done before the pass: the pass after the last build sees its values.
                  finalPass = done.get();
                  String first = table.lookup("user0@example.com").orElseThrow();
                  if (previous != null && !first.equals(previous)) {
                    reopens.incrementAndGet();
                  }
                  previous = first;
                  for (int i = 0; i < KEYS; i++) {
                    Optional<String> v = table.lookup("USER" + i + "@example.com");
                    if (v.isEmpty()) {
                      problems.add("missing key " + i);
                    } else {
                      String value = v.get();
                      lastGeneration.set(
                          Integer.parseInt(value.substring(3, value.indexOf('-'))));
                    }
                  }
                }
                table.close();
              } catch (Exception | Error e) {
                problems.add(e.toString());
              }
            },
            "reader");
    reader.start();
    for (int g = 1; g <= REBUILDS; g++) {
      HashTableWriter.write(db, generation(g), true, mode);
      Thread.sleep(5);
    }
    done.set(true);
    reader.join(30_000);
    assertEquals(List.of(), List.copyOf(problems));
    assertTrue(reopens.get() >= 1, "reader never saw a rebuild");
    assertEquals(REBUILDS, lastGeneration.get());
  }
}
