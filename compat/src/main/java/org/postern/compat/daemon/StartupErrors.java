package org.postern.compat.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The standard error of a daemon being started, read on a thread of its own so that the
 * daemon never blocks on a full pipe; {@code postern start} shows its last fatal line when
 * the daemon exits before it holds its pid file (Postfix's {@code master -w} reports a
 * failed start the same way). Once the starter exits the pipe is closed and the daemon's
 * later writes are lost, as they were before (nothing of the mail depends on them).
 *
 * <p>Trusts nothing in the text: it is only shown. Thread-safe.
 */
final class StartupErrors {
  private static final String FATAL = "postern: fatal: ";
  private static final long DRAIN_MILLIS = 2000;

  private final Thread reader;
  private volatile String lastFatal;

  private StartupErrors(InputStream in) {
    this.reader = new Thread(() -> read(in), "postern-start-stderr");
    reader.setDaemon(true);
  }

  /** Starts reading {@code in} (the child's standard error). */
  static StartupErrors follow(InputStream in) {
    StartupErrors errors = new StartupErrors(in);
    errors.reader.start();
    return errors;
  }

  /** The last "postern: fatal:" line of {@code child}, which has exited, if it wrote one. */
  Optional<String> fatalLine(Process child) {
    try {
      child.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
      reader.join(DRAIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.ofNullable(lastFatal);
  }

  private void read(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(FATAL)) {
          lastFatal = line;
        }
      }
    } catch (IOException e) {
      // The child is gone or the pipe closed: what was read is all there is.
    }
  }
}
