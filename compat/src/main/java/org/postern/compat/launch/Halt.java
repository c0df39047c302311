package org.postern.compat.launch;

/**
 * Ends a command's JVM by halting once stdout and stderr are flushed, when the command started
 * no thread and registered no shutdown hook: System.exit would then add only its Java 21+
 * Runtime.exit logging, whose System.Logger lookup opens every jar on the class path (13-45 ms
 * per command, measured by tests/bench/bench-startup.sh). Trusts the command's word on what
 * it started; a command that cannot vouch for its path exits through System.exit.
 */
public final class Halt {
  private Halt() {}

  /** Exits the JVM with {@code status} once what the command printed is written out. */
  public static void exit(int status) {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }

  /**
   * As {@link #exit(int)} when {@code startedNothing} (the path that ran started no thread and
   * no shutdown hook), else System.exit, which runs the hooks and lets the threads see it.
   */
  public static void exit(int status, boolean startedNothing) {
    if (startedNothing) {
      exit(status);
    }
    System.exit(status);
  }
}
