package org.postern.maps.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's id, for temp file names, queue ids, logs and pid files. Read from the
 * {@code /proc/self} link, as ProcessHandle.current() cost each command 3-4 ms of start-up
 * (its class builds the process reaper's thread pool); ProcessHandle only without /proc.
 */
public final class ProcessId {
  private static final long PID = read();

  private ProcessId() {}

  /** The id of this process. */
  public static long current() {
    return PID;
  }

  private static long read() {
    try {
      return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
    } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
      return ProcessHandle.current().pid();
    }
  }
}
