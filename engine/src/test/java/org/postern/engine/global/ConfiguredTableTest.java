package org.postern.engine.global;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.maps.Table;
import org.postern.maps.TableOpener;
import org.postern.maps.hash.HashTableWriter;

/** The tables main.cf names follow their files from startup on, absent ones included. */
class ConfiguredTableTest {
  @TempDir Path dir;

  private Table open(ConfigKey key) throws Exception {
    Files.writeString(dir.resolve("main.cf"), key.name() + " = hash:" + dir.resolve("t") + "\n");
    return ConfiguredTable.open(Config.load(dir), key, new TableOpener(dir, w -> { }));
  }

  private void postmap(String key, String value) throws Exception {
    HashTableWriter.write(dir.resolve("t.db"), List.of(Map.entry(key, value)), true,
        PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void aTableCreatedAfterStartupIsUsedWithoutARestart() throws Exception {
    for (ConfigKey key : List.of(Params.ACCESS_MAP, Params.VIRTUSERTABLE_MAP,
        Params.MAILERTABLE_MAP, Params.SMTP_TLS_POLICY_MAPS)) {
      Files.deleteIfExists(dir.resolve("t.db"));
      try (Table t = open(key)) {
        assertEquals(Optional.empty(), t.lookup("k"), key.name());
        postmap("k", "created");
        assertEquals(Optional.of("created"), t.lookup("k"), key.name());
        Files.delete(dir.resolve("t.db"));
        assertEquals(Optional.empty(), t.lookup("k"), key.name());
      }
    }
  }

  @Test
  void aSourceWithoutItsDatabaseAtStartupIsStillAConfigurationError() throws Exception {
    Files.writeString(dir.resolve("t"), "k v\n");
    assertThrows(ConfigException.class, () -> open(Params.ACCESS_MAP));
  }
}
