package org.postern.maps.hash;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postern.maps.io.DurableFiles;

/**
 * Compiles a {@code hash:} table ({@code FILE.db}): a MapDB SortedTableMap of UTF-8 keys and
 * values, sorted in memory and streamed by {@link SortedTableWriter} (MapDB's layout, without
 * loading MapDB) into a temp file in the target's directory, fsync'd, renamed over the target
 * atomically, then the directory fsync'd (Postfix dict_cdb.c). A reader never sees a
 * half-built table, and a table is never written in place (a process that has the old file
 * mapped would crash on SIGBUS).
 *
 * <p>Trusts its caller for content (keys unique and already case-folded if {@code foldedKeys})
 * but checks uniqueness after UTF-8 encoding. The same entries always give the same bytes.
 * I/O failures leave the target untouched, remove the temp file and propagate as IOException
 * (temporary). Stateless and thread-safe; the caller serialises builds of one target.
 */
public final class HashTableWriter {
  /**
   * Keys per MapDB node and bytes per page, chosen by measurement on 1M entries
   * (tests/bench/bench-maps.sh): 3 keys and 4 KB pages gave 41.4 MB and 640-830k warm
   * lookups/s; MapDB's default 1 MB pages 236k/s (each probe decodes a node, and a big page
   * needs more probes), 2 KB pages 42.6 MB, 8 KB pages 430k/s.
   */
  private static final int NODE_SIZE = 3;

  private static final long PAGE_SIZE = 4096;

  /**
   * MapDB's largest page. A node (NODE_SIZE entries) must fit in one page, so a table with a
   * long entry (a list alias of thousands of members) is built with pages big enough for it;
   * the page size is in MapDB's header, readers need nothing else. Lookups in such a table
   * are slower, which is fine for the few big tables that need it.
   */
  private static final long MAX_PAGE_SIZE = 1L << 20;

  /** Room per entry beyond its bytes (lengths, offsets) and per page (header, node table). */
  private static final long ENTRY_OVERHEAD = 32;
  private static final long PAGE_OVERHEAD = 256;

  /** Orders entries by key as MapDB compares UTF-8 bytes (unsigned), without encoding them. */
  private static final Comparator<Map.Entry<String, String>> BY_KEY =
      (a, b) -> compareCodePoints(a.getKey(), b.getKey());

  private HashTableWriter() {}

  /**
   * Builds {@code dbFile} from {@code entries} (unique keys; folded by the caller when
   * {@code foldedKeys}) with exactly the permissions {@code mode}.
   *
   * @throws IllegalArgumentException if two keys are equal once encoded as UTF-8
   */
  public static void write(
      Path dbFile,
      List<? extends Map.Entry<String, String>> entries,
      boolean foldedKeys,
      Set<PosixFilePermission> mode)
      throws IOException {
    List<Map.Entry<String, String>> sorted = new ArrayList<>(entries);
    sorted.sort(BY_KEY);
    Path temp = DurableFiles.createTemp(dbFile.toAbsolutePath().getParent(),
        PosixFilePermissions.toString(mode));
    try {
      build(temp, sorted, foldedKeys);
      DurableFiles.move(temp, dbFile);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Streams the sorted entries into {@code temp} as MapDB's pages, then the header; fsyncs. */
  private static void build(Path temp, List<Map.Entry<String, String>> sorted, boolean folded)
      throws IOException {
    // First pass: the longest entry sets the page size (nothing is kept: 1M entries must
    // build in the postmap launcher's heap).
    long longest = 0;
    for (Map.Entry<String, String> e : sorted) {
      longest = Math.max(longest,
          utf8Length(e.getKey()) + utf8Length(e.getValue()) + ENTRY_OVERHEAD);
    }
    long pageSize = pageSizeFor(longest);
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      SortedTableWriter pages = new SortedTableWriter(out, (int) pageSize, NODE_SIZE);
      byte[] previous = null;
      for (Map.Entry<String, String> e : sorted) {
        byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
        // Distinct strings can encode alike (lone surrogates become '?'); keys must be unique.
        if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
          throw new IllegalArgumentException("duplicate key: " + e.getKey());
        }
        pages.put(key, e.getValue().getBytes(StandardCharsets.UTF_8));
        previous = key;
      }
      long pageCount = pages.finish();
      // The header last: a file without it is never taken for a table.
      out.write(HashFileHeader.of(folded, sorted.size(), pageSize, pageCount).bytes(), 0);
      out.force(true);
    }
  }

  /** Bytes of {@code s} in UTF-8 (an unpaired surrogate, encoded as '?', counts 3: safe). */
  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return n;
  }

  /** The smallest page (4 KB or a power of two) that holds a node of the longest entry. */
  private static long pageSizeFor(long longestEntry) throws IOException {
    long needed = NODE_SIZE * longestEntry + PAGE_OVERHEAD;
    long page = PAGE_SIZE;
    while (page < needed && page < MAX_PAGE_SIZE) {
      page <<= 1;
    }
    if (page < needed) {
      throw new IOException("an entry of " + longestEntry + " bytes is too long for a table"
          + " (at most " + (MAX_PAGE_SIZE - PAGE_OVERHEAD) / NODE_SIZE + ")");
    }
    return page;
  }

  /**
   * Compares as Unicode code points, which is the unsigned order of UTF-8 bytes. UTF-16 order
   * differs only between a surrogate and U+E000..U+FFFF: lift the surrogates above those.
   */
  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x >= 0xD800 && y >= 0xD800) {
          return fixup(x) - fixup(y);
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  private static int fixup(char c) {
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }
}
