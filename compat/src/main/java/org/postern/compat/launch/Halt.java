package org.postern.compat.launch;

/**
 * Ends a table command's JVM (postmap, makemap, praliases): flushes stdout and stderr, then
 * halts. These commands start no thread and register no shutdown hook, so System.exit would
 * add only its Java 21+ Runtime.exit logging, whose System.Logger lookup opens every jar on the
 * class path (13-45 ms per command, measured by tests/bench/bench-startup.sh).
 */
public final class Halt {
  private Halt() {}

  /** Exits the JVM with {@code status} once what the command printed is written out. */
  public static void exit(int status) {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }
}
