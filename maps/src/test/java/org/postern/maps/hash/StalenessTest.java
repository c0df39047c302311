package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StalenessTest {
  @TempDir Path dir;

  @Test
  void warnsWhenTheSourceIsNewerThanTheDatabase() throws Exception {
    Path source = Files.writeString(dir.resolve("virtual"), "a b\n");
    Path db = Files.writeString(dir.resolve("virtual.db"), "");
    Files.setLastModifiedTime(db, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(source, FileTime.fromMillis(2_000_000));
    assertEquals(
        Optional.of("warning: database " + db + " is older than source file " + source),
        Staleness.staleWarning(source, db));
  }

  @Test
  void staysSilentWhenTheDatabaseIsNewerOrAsOld() throws Exception {
    Path source = Files.writeString(dir.resolve("virtual"), "a b\n");
    Path db = Files.writeString(dir.resolve("virtual.db"), "");
    Files.setLastModifiedTime(source, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(db, FileTime.fromMillis(1_000_000));
    assertEquals(Optional.empty(), Staleness.staleWarning(source, db));
    Files.setLastModifiedTime(db, FileTime.fromMillis(2_000_000));
    assertEquals(Optional.empty(), Staleness.staleWarning(source, db));
  }

  @Test
  void staysSilentWhenEitherFileIsMissing() throws Exception {
    Path source = Files.writeString(dir.resolve("virtual"), "a b\n");
    assertEquals(Optional.empty(), Staleness.staleWarning(source, dir.resolve("virtual.db")));
    assertEquals(Optional.empty(), Staleness.staleWarning(dir.resolve("nope"), source));
  }
}
