package org.postern.maps.aliases;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark driver for tests/bench/bench-newaliases.sh (not a test): reads and compiles one
 * aliases file ROUNDS times in this JVM, as newaliases does, and prints on stdout the parse
 * and build times of the first (cold) round and the best later (warm) round.
 *
 * <pre>
 *   AliasBench SOURCE [ROUNDS]     writes SOURCE.db; ROUNDS defaults to 5
 * </pre>
 *
 * Single-threaded.
 */
public final class AliasBench {
  private AliasBench() {}

  public static void main(String[] args) throws Exception {
    Path source = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double[] cold = null;
    double bestParse = Double.MAX_VALUE;
    double bestBuild = Double.MAX_VALUE;
    long aliases = 0;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      AliasSource.Result r = AliasSource.read(source);
      long t1 = System.nanoTime();
      AliasDatabase.build(source, r);
      long t2 = System.nanoTime();
      double parse = (t1 - t0) / 1e6;
      double build = (t2 - t1) / 1e6;
      aliases = r.aliasCount();
      if (cold == null) {
        cold = new double[] {parse, build};
      } else {
        bestParse = Math.min(bestParse, parse);
        bestBuild = Math.min(bestBuild, build);
      }
    }
    System.out.println(String.format(Locale.ROOT,
        "in-process: %d aliases; cold parse %.1f ms + build %.1f ms;"
            + " warm best of %d: parse %.1f ms + build %.1f ms",
        aliases, cold[0], cold[1], rounds - 1, bestParse, bestBuild));
  }
}
