package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.Serializer;
import org.mapdb.SortedTableMap;
import org.mapdb.volume.MappedFileVol;
import org.mapdb.volume.Volume;

/**
 * The reader answers exactly what MapDB's own SortedTableMap answers on the same file: every
 * key, keys between and around them, and the full entry order; on 4 KB pages and on the big
 * pages a long entry forces.
 */
class SortedTableReaderTest {
  @TempDir Path dir;

  @Test
  void agreesWithMapDbOnSmallPages() throws IOException {
    agree(table("small.db", 20_000, 8), 20_000);
  }

  @Test
  void agreesWithMapDbOnBigPages() throws IOException {
    agree(table("big.db", 3_000, 40_000), 3_000);
  }

  @Test
  void agreesWithMapDbOnAOnePageTable() throws IOException {
    agree(table("one.db", 2, 8), 2);
  }

  @Test
  void reportsADamagedPageAsAnIOExceptionNamingIt() throws IOException {
    Path db = table("damaged.db", 5_000, 8);
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
      // Page 3's node count: far more nodes than a page holds.
      ch.write(ByteBuffer.wrap(new byte[] {0x7f, 0, 0, 0}), 3 * 4096);
    }
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
      SortedTableReader reader = reader(ch);
      IOException e = assertThrows(IOException.class, () -> reader.forEach((k, v) -> { }));
      assertTrue(e.getMessage().startsWith("damaged page 3: "), e.getMessage());
    }
  }

  private Path table(String name, int n, int valueLength) throws IOException {
    SplittableRandom r = new SplittableRandom(n);
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Even numbers only, so that the odd ones fall between stored keys.
      String value = "v".repeat(1 + r.nextInt(valueLength));
      entries.add(Map.entry("user" + (2 * i) + "@é.example", value));
    }
    Path db = dir.resolve(name);
    HashTableWriter.write(db, entries, false, PosixFilePermissions.fromString("rw-------"));
    return db;
  }

  private static SortedTableReader reader(FileChannel ch) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HashFileHeader.SIZE);
    ch.read(head, 0);
    HashFileHeader h = assertParses(head.flip(), ch.size());
    return new SortedTableReader(ch, h.pageSize(), h.pageCount());
  }

  private static HashFileHeader assertParses(ByteBuffer head, long size) {
    try {
      return HashFileHeader.parse(head, size);
    } catch (HashFileHeader.InvalidException e) {
      throw new AssertionError(e);
    }
  }

  private static void agree(Path db, int n) throws IOException {
    Volume volume = MappedFileVol.FACTORY.makeVolume(db.toString(), true);
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
      SortedTableMap<byte[], byte[]> mapdb =
          SortedTableMap.open(volume, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY);
      SortedTableReader reader = reader(ch);
      for (int i = -1; i <= 2 * n; i++) {
        byte[] key = ("user" + i + "@é.example").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(mapdb.get(key), reader.get(key), "user" + i);
      }
      for (String outside : List.of("", "a", "user", "zzz", "\uFFFF")) {
        byte[] key = outside.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(mapdb.get(key), reader.get(key), outside);
      }
      Iterator<Map.Entry<byte[], byte[]>> expected = mapdb.entryIterator();
      int[] count = {0};
      reader.forEach((k, v) -> {
        Map.Entry<byte[], byte[]> e = expected.next();
        assertArrayEquals(e.getKey(), k);
        assertArrayEquals(e.getValue(), v);
        count[0]++;
      });
      assertEquals(n, count[0]);
      assertTrue(!expected.hasNext());
    } finally {
      volume.close();
    }
  }
}
