package org.postern.compat.admin;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every verb of one {@code postern} run is given: its streams and the configuration
 * directory chosen by {@code -C} or {@code POSTERN_CONFIG}. Immutable.
 */
record Invocation(InputStream in, PrintStream out, PrintStream err, Path configDir) {
  /** Prints one {@code postern: ...} diagnostic line on stderr. */
  void complain(String message) {
    err.println("postern: " + message);
  }
}
