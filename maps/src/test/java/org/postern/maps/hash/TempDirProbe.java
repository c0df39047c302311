package org.postern.maps.hash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jpountz.xxhash.XXHashFactory;
import org.mapdb.CC;

/**
 * Child-process body for {@link NoTempFilesTest}: builds and queries a table in the directory
 * given, then prints the value found, MapDB's hash implementation and what the temp directory
 * holds while the JVM still runs (lz4 1.3.0 deleted its extracted library only at exit). Not a
 * test itself.
 */
public final class TempDirProbe {
  private TempDirProbe() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0], "probe.db");
    HashTableWriter.write(
        db, List.of(Map.entry("k", "v")), true, PosixFilePermissions.fromString("rw-------"));
    try (HashTable t = HashTable.open(db, "hash:probe")) {
      XXHashFactory hashes = CC.HASH_FACTORY;
      List<String> tmp;
      try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
        tmp = files.map(f -> f.getFileName().toString()).toList();
      }
      System.out.println(t.lookup("k").orElseThrow() + " " + hashes + " tmp=" + tmp);
    }
  }
}
