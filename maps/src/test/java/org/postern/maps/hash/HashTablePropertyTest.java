package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random tables (fixed seeds): a compiled table answers exactly what it was given. */
class HashTablePropertyTest {
  @TempDir Path dir;

  /** Mostly ASCII, with Latin-1, CJK, U+E000..U+FFFF and supplementary characters mixed in. */
  private static String randomKey(SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    int length = 1 + r.nextInt(24);
    for (int i = 0; i < length; i++) {
      switch (r.nextInt(8)) {
        case 0 -> b.append((char) (0xA0 + r.nextInt(0x60)));
        case 1 -> b.append((char) (0x4E00 + r.nextInt(0x100)));
        case 2 -> b.append((char) (0xE000 + r.nextInt(0x1FFE)));
        case 3 -> b.appendCodePoint(0x1F300 + r.nextInt(0x300));
        default -> b.append((char) ('a' + r.nextInt(26)));
      }
    }
    return b.toString();
  }

  @Test
  void everyKeyAnswersExactlyItsValueAndAbsentKeysAnswerEmpty() throws Exception {
    SplittableRandom r = new SplittableRandom(20240601);
    Map<String, String> expected = new HashMap<>();
    while (expected.size() < 10_000) {
      expected.put(randomKey(r), r.nextInt(10) == 0 ? "" : randomKey(r));
    }
    Path db = dir.resolve("random.db");
    var mode = PosixFilePermissions.fromString("rw-------");
    HashTableWriter.write(db, new ArrayList<>(expected.entrySet()), false, mode);
    try (HashTable t = HashTable.open(db, "hash:random")) {
      for (Map.Entry<String, String> e : expected.entrySet()) {
        assertEquals(Optional.of(e.getValue()), t.lookup(e.getKey()), e.getKey());
      }
      int absent = 0;
      while (absent < 10_000) {
        String key = randomKey(r);
        if (!expected.containsKey(key)) {
          assertEquals(Optional.empty(), t.lookup(key), key);
          absent++;
        }
      }
      assertEquals(expected.size(), t.entries().size());
    }
  }

  @Test
  void keyOrderIsTheUnsignedOrderOfUtf8Bytes() {
    SplittableRandom r = new SplittableRandom(99);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      keys.add(randomKey(r));
    }
    for (int i = 1; i < keys.size(); i++) {
      String a = keys.get(i - 1);
      String b = keys.get(i);
      int bytes =
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
      assertEquals(
          Integer.signum(bytes), Integer.signum(HashTableWriter.compareCodePoints(a, b)), a + b);
    }
  }
}
