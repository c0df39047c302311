package org.postern.maps.hash;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Benchmark driver for tests/bench/bench-maps.sh (not a test): builds and queries a hash table
 * on the generated input ({@code user{i}@dom{i%97}.example value{i}}).
 *
 * <pre>
 *   build SOURCE DB     parse "key value" lines as postmap does (fold case), compile
 *   query DB KEY        one lookup (exit 0 found, 1 not found), as postmap -q
 *   bulk DB             keys on stdin, one lookup each, as postmap -q -
 *   warm DB N           N random present keys after as many warm-up lookups, single thread
 * </pre>
 *
 * Prints one {@code key=value} line of measurements on stderr. Single-threaded.
 */
public final class HashTableBench {
  private static final int ROUNDS = 5;

  private HashTableBench() {}

  public static void main(String[] args) throws Exception {
    PrintStream err = System.err;
    switch (args[0]) {
      case "build" -> build(Path.of(args[1]), Path.of(args[2]), err);
      case "query" -> System.exit(query(Path.of(args[1]), args[2]));
      case "bulk" -> bulk(Path.of(args[1]), err);
      case "warm" -> warm(Path.of(args[1]), Integer.parseInt(args[2]), err);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void build(Path source, Path db, PrintStream err) throws Exception {
    long t0 = System.nanoTime();
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        int sp = line.indexOf(' ');
        entries.add(
            new AbstractMap.SimpleImmutableEntry<>(
                line.substring(0, sp).toLowerCase(Locale.ROOT), line.substring(sp + 1)));
      }
    }
    long t1 = System.nanoTime();
    HashTableWriter.write(db, entries, true, PosixFilePermissions.fromString("rw-r--r--"));
    long t2 = System.nanoTime();
    err.printf(
        "parse_ms=%d build_ms=%d total_ms=%d entries=%d bytes=%d%n",
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000,
        (t2 - t0) / 1_000_000,
        entries.size(),
        Files.size(db));
  }

  private static int query(Path db, String key) throws Exception {
    try (HashTable table = HashTable.open(db, "hash:" + db)) {
      Optional<String> value = table.lookup(key);
      value.ifPresent(System.out::println);
      return value.isPresent() ? 0 : 1;
    }
  }

  private static void bulk(Path db, PrintStream err) throws Exception {
    long t0 = System.nanoTime();
    long n = 0;
    StringBuilder out = new StringBuilder();
    try (HashTable table = HashTable.open(db, "hash:" + db);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String key; (key = in.readLine()) != null; n++) {
        Optional<String> value = table.lookup(key);
        if (value.isPresent()) {
          out.append(key).append(' ').append(value.get()).append('\n');
        }
      }
    }
    System.out.print(out);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    err.printf("bulk_keys=%d bulk_ms=%d%n", n, ms);
  }

  private static void warm(Path db, int n, PrintStream err) throws Exception {
    try (HashTable table = HashTable.open(db, "hash:" + db)) {
      int size = (int) table.size();
      SplittableRandom random = new SplittableRandom(42);
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        int k = random.nextInt(size);
        keys[i] = "user" + k + "@dom" + (k % 97) + ".example";
      }
      // Round 0 is the warm-up; the best later round is reported (on a loaded machine the
      // JIT may still be compiling during the first rounds).
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long bestNs = Long.MAX_VALUE;
      long bestCpuNs = Long.MAX_VALUE;
      for (int round = 0; round <= ROUNDS; round++) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int found = 0;
        for (String key : keys) {
          found += table.lookup(key).isPresent() ? 1 : 0;
        }
        long ns = System.nanoTime() - t0;
        long cpuNs = threads.getCurrentThreadCpuTime() - cpu0;
        if (found != n) {
          throw new IllegalStateException("missing keys: found " + found + " of " + n);
        }
        if (round > 0) {
          bestNs = Math.min(bestNs, ns);
          bestCpuNs = Math.min(bestCpuNs, cpuNs);
        }
      }
      // Per CPU-second too: on a loaded machine wall time measures the neighbours.
      err.printf(
          "warm_lookups=%d best_of=%d lookups_per_s=%d lookups_per_cpu_s=%d%n",
          n, ROUNDS, (long) n * 1_000_000_000L / bestNs, (long) n * 1_000_000_000L / bestCpuNs);
    }
  }

}
