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

  /**
   * Orders entries by key as String.compareTo does (UTF-16 units): the order of UTF-8 bytes
   * unless keys hold both surrogates and U+E000..U+FFFF, and a tight loop even before the JIT
   * compiles it (sorting 10,000 aliases by code point took half of newaliases' own time).
   */
  private static final Comparator<Map.Entry<String, String>> BY_UTF16 = new ByUtf16();

  /** Orders entries by key as MapDB compares UTF-8 bytes (unsigned), without encoding them. */
  private static final Comparator<Map.Entry<String, String>> BY_CODE_POINT = new ByCodePoint();

  // Classes, not lambdas: with a dynamic class-data archive (Java 17) a command's first lambda
  // cost it 5-6 ms of start-up, the metafactory loading ASM even for an archived proxy.
  private static final class ByUtf16 implements Comparator<Map.Entry<String, String>> {
    @Override
    public int compare(Map.Entry<String, String> a, Map.Entry<String, String> b) {
      return a.getKey().compareTo(b.getKey());
    }
  }

  private static final class ByCodePoint implements Comparator<Map.Entry<String, String>> {
    @Override
    public int compare(Map.Entry<String, String> a, Map.Entry<String, String> b) {
      return compareCodePoints(a.getKey(), b.getKey());
    }
  }

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
    sorted.sort(BY_UTF16);
    Path temp = DurableFiles.createTemp(dbFile.toAbsolutePath().getParent(),
        PosixFilePermissions.toString(mode));
    try {
      // The build checks the byte order of every key; the rare table where UTF-16 order
      // differs is sorted by code point and built again.
      if (!build(temp, sorted, foldedKeys, true)) {
        sorted.sort(BY_CODE_POINT);
        build(temp, sorted, foldedKeys, false);
      }
      DurableFiles.move(temp, dbFile);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /**
   * Streams the sorted entries into {@code temp} (from its start, truncating it) as MapDB's
   * pages, then the header, and fsyncs; false, with nothing fsync'd, when {@code mayFail} and
   * a key's UTF-8 bytes sort below the key before it.
   */
  private static boolean build(
      Path temp, List<Map.Entry<String, String>> sorted, boolean folded, boolean mayFail)
      throws IOException {
    // First pass: the longest entry sets the page size (nothing is kept: 1M entries must
    // build in the postmap launcher's heap). A char is at most 3 bytes, so when even three
    // bytes per char fit the smallest page, the exact lengths need not be counted.
    long longestChars = 0;
    for (Map.Entry<String, String> e : sorted) {
      longestChars = Math.max(longestChars, e.getKey().length() + e.getValue().length());
    }
    long longest = 3 * longestChars + ENTRY_OVERHEAD;
    if (NODE_SIZE * longest + PAGE_OVERHEAD > PAGE_SIZE) {
      longest = 0;
      for (Map.Entry<String, String> e : sorted) {
        longest = Math.max(longest,
            utf8Length(e.getKey()) + utf8Length(e.getValue()) + ENTRY_OVERHEAD);
      }
    }
    long pageSize = pageSizeFor(longest);
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      SortedTableWriter pages = new SortedTableWriter(out, (int) pageSize, NODE_SIZE);
      byte[] previous = null;
      for (Map.Entry<String, String> e : sorted) {
        byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
        if (previous != null) {
          int order = Arrays.compareUnsigned(previous, key);
          if (order > 0 && mayFail) {
            return false;
          }
          // Distinct strings can encode alike (lone surrogates become '?'); keys must be unique.
          if (order >= 0) {
            throw new IllegalArgumentException("duplicate key: " + e.getKey());
          }
        }
        pages.put(key, e.getValue().getBytes(StandardCharsets.UTF_8));
        previous = key;
      }
      long pageCount = pages.finish();
      // The header last: a file without it is never taken for a table.
      out.write(HashFileHeader.of(folded, sorted.size(), pageSize, pageCount).bytes(), 0);
      out.force(true);
    }
    return true;
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
