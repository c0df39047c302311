package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StalenessTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000);

  @TempDir Path dir;

  @Test
  void staysSilentWhileTheSourceWasChangedWithinTheLast100Seconds() throws Exception {
    // Postfix's dict_db rule: edit-then-query (or edit-then-postmap) is not stale yet.
    Path source = Files.writeString(dir.resolve("virtual"), "a b\n");
    Path db = Files.writeString(dir.resolve("virtual.db"), "");
    Files.setLastModifiedTime(db, FileTime.from(NOW.minusSeconds(3600)));
    Files.setLastModifiedTime(source, FileTime.from(NOW.minusSeconds(100)));
    assertEquals(Optional.empty(), Staleness.staleWarning(source, db, NOW));
    assertTrue(Staleness.newerSource(source, db));
    Files.setLastModifiedTime(source, FileTime.from(NOW.minusSeconds(101)));
    assertEquals(Optional.of(Staleness.warning(source, db)),
        Staleness.staleWarning(source, db, NOW));
  }

  @Test
  void warnsWhenTheSourceIsNewerThanTheDatabase() throws Exception {
    Path source = Files.writeString(dir.resolve("virtual"), "a b\n");
    Path db = Files.writeString(dir.resolve("virtual.db"), "");
    Files.setLastModifiedTime(db, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(source, FileTime.fromMillis(2_000_000));
    assertEquals(
        Optional.of("warning: database " + db + " is older than source file " + source),
        Staleness.staleWarning(source, db, NOW));
  }

  @Test
  void staysSilentWhenTheDatabaseIsNewerOrAsOld() throws Exception {
    Path source = Files.writeString(dir.resolve("virtual"), "a b\n");
    Path db = Files.writeString(dir.resolve("virtual.db"), "");
    Files.setLastModifiedTime(source, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(db, FileTime.fromMillis(1_000_000));
    assertEquals(Optional.empty(), Staleness.staleWarning(source, db, NOW));
    Files.setLastModifiedTime(db, FileTime.fromMillis(2_000_000));
    assertEquals(Optional.empty(), Staleness.staleWarning(source, db, NOW));
  }

  @Test
  void staysSilentWhenEitherFileIsMissing() throws Exception {
    Path source = Files.writeString(dir.resolve("virtual"), "a b\n");
    assertEquals(Optional.empty(), Staleness.staleWarning(source, dir.resolve("virtual.db"), NOW));
    assertEquals(Optional.empty(), Staleness.staleWarning(dir.resolve("nope"), source, NOW));
  }
}
