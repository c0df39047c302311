package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.Serializer;
import org.mapdb.SortedTableMap;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;

/**
 * Our writer makes the same bytes as MapDB 3.1.0's own SortedTableMap writer, as
 * HashTableWriter drove it before (a FileChannelVol of 64-byte slices): empty, one-entry,
 * one-page and multi-page tables, 4 KB and big pages, packed lengths of one to three bytes,
 * node sizes other than ours, and many random tables whose nodes end on every page boundary;
 * and it reproduces a table postmap built through MapDB before it left the write path.
 */
class SortedTableWriterTest {
  @TempDir Path dir;

  @Test
  void writesAnEmptyTableAsMapDbDoes() throws IOException {
    same(new TreeMap<>(), 4096, 3);
  }

  @Test
  void writesAOneEntryTableAsMapDbDoes() throws IOException {
    same(entries(1, 1, 10, 1), 4096, 3);
  }

  @Test
  void writesManyPagesOfFourKilobytesAsMapDbDoes() throws IOException {
    same(entries(20_000, 1, 40, 2), 4096, 3);
  }

  @Test
  void writesBigPagesAndLongLengthsAsMapDbDoes() throws IOException {
    // Values up to 40,000 bytes: packed lengths of three bytes, pages of 128 KB.
    same(entries(300, 1, 40_000, 3), 1 << 17, 3);
  }

  @Test
  void writesOtherNodeSizesAsMapDbDoes() throws IOException {
    for (int nodeSize : new int[] {1, 2, 7, 32}) {
      same(entries(2_000, 1, 100, nodeSize), 4096, nodeSize);
    }
  }

  @Test
  void endsEveryPageWhereMapDbEndsIt() throws IOException {
    // Short, narrowly varying entries on small pages: nodes end exactly at, one before and
    // one after a page's end many times over.
    SplittableRandom seeds = new SplittableRandom(16);
    for (int i = 0; i < 40; i++) {
      int n = seeds.nextInt(1, 1_500);
      int pageSize = 1 << seeds.nextInt(9, 13);
      same(entries(n, 1, seeds.nextInt(2, 60), seeds.nextLong()), pageSize,
          seeds.nextInt(1, 5));
    }
  }

  @Test
  void rebuildsATableThatPostmapWroteThroughMapDb() throws IOException {
    // The fixture HashTableTest reads: postmap of "user1@example.com value1" ..
    // "user3000@example.com value3000" and "\u00e9@example.org latin", built by MapDB.
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (int i = 1; i <= 3000; i++) {
      entries.add(Map.entry("user" + i + "@example.com", "value" + i));
    }
    entries.add(Map.entry("\u00e9@example.org", "latin"));
    Path db = dir.resolve("format1.db");
    HashTableWriter.write(db, entries, true, PosixFilePermissions.fromString("rw-------"));
    byte[] expected;
    try (InputStream in = getClass().getResourceAsStream("postern-format1.db")) {
      expected = in.readAllBytes();
    }
    assertArrayEquals(expected, Files.readAllBytes(db));
  }

  /** {@code n} distinct keys (some beyond ASCII) with values of {@code min..max} bytes. */
  private static TreeMap<byte[], byte[]> entries(int n, int min, int max, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    TreeMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
    while (out.size() < n) {
      String key = (r.nextInt(10) == 0 ? "\u00e9l\u00e8ve" : "user") + r.nextInt(10 * n + 10)
          + "@example.org";
      byte[] value = new byte[r.nextInt(min, max + 1)];
      r.nextBytes(value);
      out.put(key.getBytes(StandardCharsets.UTF_8), value);
    }
    return out;
  }

  /** Asserts both writers give the same file for {@code entries}. */
  private void same(TreeMap<byte[], byte[]> entries, int pageSize, int nodeSize)
      throws IOException {
    Path ours = dir.resolve("ours.db");
    Path theirs = dir.resolve("theirs.db");
    Files.deleteIfExists(ours);
    Files.deleteIfExists(theirs);
    Files.createFile(ours);
    long pageCount;
    try (FileChannel out = FileChannel.open(ours, StandardOpenOption.WRITE)) {
      SortedTableWriter w = new SortedTableWriter(out, pageSize, nodeSize);
      for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
        w.put(e.getKey(), e.getValue());
      }
      pageCount = w.finish();
      // MapDB's part of the header only: our fields (40-63) stay zero, as MapDB leaves them.
      byte[] head = HashFileHeader.of(false, entries.size(), pageSize, pageCount).bytes().array();
      out.write(ByteBuffer.wrap(head, 0, 40), 0);
    }
    Volume volume = new FileChannelVol(theirs.toFile(), false, -1L, 6, 0L);
    try {
      SortedTableMap.Sink<byte[], byte[]> sink =
          SortedTableMap.create(volume, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY)
              .pageSize(pageSize)
              .nodeSize(nodeSize)
              .createFromSink();
      for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
        sink.put(e.getKey(), e.getValue());
      }
      sink.create();
    } finally {
      volume.close();
    }
    byte[] expected = Files.readAllBytes(theirs);
    byte[] actual = Files.readAllBytes(ours);
    assertEquals(expected.length, actual.length,
        entries.size() + " entries, page " + pageSize + ", node " + nodeSize);
    assertArrayEquals(expected, actual,
        entries.size() + " entries, page " + pageSize + ", node " + nodeSize);
  }
}
