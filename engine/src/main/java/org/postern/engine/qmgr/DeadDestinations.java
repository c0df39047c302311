package org.postern.engine.qmgr;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Destinations that could not be reached at all, each until a time: while one is dead, its
 * mail is deferred with the last reason without connecting (Postfix's "delivery temporarily
 * suspended"), so 10,000 queued messages do not mean 10,000 connection attempts.
 *
 * <p>Lives as long as the process that runs the queue (a manual {@code sendmail -q} or
 * {@code postern flush} starts with none dead, so it retries at once). Thread-safe.
 */
final class DeadDestinations {
  private record Dead(String reason, long untilMillis) {}

  private final Map<String, Dead> dead = new ConcurrentHashMap<>();

  /** The reason the destination is dead at {@code now}, if it is. */
  Optional<String> reason(String destination, long now) {
    Dead d = dead.get(destination);
    if (d == null) {
      return Optional.empty();
    }
    if (d.untilMillis <= now) {
      dead.remove(destination, d);
      return Optional.empty();
    }
    return Optional.of(d.reason);
  }

  void markDead(String destination, String reason, long untilMillis) {
    dead.put(destination, new Dead(reason, untilMillis));
  }

  void markAlive(String destination) {
    dead.remove(destination);
  }
}
