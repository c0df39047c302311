package org.postern.engine.smtpd;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Connections per client address per time unit, counted the way Postfix's anvil(8) does for
 * smtpd_client_connection_rate_limit: a window of anvil_rate_time_unit that starts with a
 * client's first connection and restarts after it has passed.
 *
 * <p>Trusts the addresses the kernel gives. Forgets windows that have passed once it holds
 * many, so a scan from many addresses cannot grow it without bound. Thread-safe.
 */
final class ConnectionRate {
  private static final int TIDY_ABOVE = 10_000;

  private record Window(long startMillis, int count) {}

  private final Map<InetAddress, Window> windows = new HashMap<>();

  /** Counts one connection from {@code client} at {@code now}; the count in its window. */
  synchronized int record(InetAddress client, long now, long unitMillis) {
    if (windows.size() > TIDY_ABOVE) {
      windows.values().removeIf(w -> now - w.startMillis >= unitMillis);
    }
    Window w = windows.get(client);
    if (w == null || now - w.startMillis >= unitMillis) {
      w = new Window(now, 0);
    }
    w = new Window(w.startMillis, w.count + 1);
    windows.put(client, w);
    return w.count;
  }
}
