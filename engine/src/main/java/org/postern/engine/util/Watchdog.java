package org.postern.engine.util;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Timeouts for blocking socket reads and writes, which Java's UNIX-domain SocketChannel does
 * not have (no SO_RCVTIMEO): {@link #arm} closes the channel unless the returned guard is
 * closed in time, and the blocked call then fails with AsynchronousCloseException.
 *
 * <p>Owns one daemon timer thread while timeouts are armed (it ends after 30 s idle), stopped
 * by {@link #close}. Thread-safe: one watchdog
 * serves every connection of a server.
 */
public final class Watchdog implements AutoCloseable {
  private final ScheduledThreadPoolExecutor timer;

  public Watchdog(String threadName) {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    // An idle watchdog holds no thread: one left behind (a reloaded configuration's) costs
    // nothing.
    timer.setKeepAliveTime(30, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
  }

  /** One armed timeout; closing it in time disarms it. */
  public interface Guard extends AutoCloseable {
    @Override
    void close();
  }

  /** Closes {@code target} after {@code timeout} unless the guard is closed first. */
  public Guard arm(Closeable target, Duration timeout) {
    ScheduledFuture<?> f =
        timer.schedule(() -> closeQuietly(target), timeout.toMillis(), TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static void closeQuietly(Closeable target) {
    try {
      target.close();
    } catch (IOException e) {
      // closing is how the timeout is signalled; a failure to close leaves nothing to undo
    }
  }
}
