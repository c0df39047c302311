package org.postern.engine.qmgr;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the deliveries in progress per destination, as Postfix's qmgr does per destination
 * queue: a local recipient takes at most local_destination_concurrency_limit deliveries at
 * once, an SMTP next hop at most default_destination_concurrency_limit, so one slow or
 * failing destination can never hold every delivery thread.
 *
 * <p>Trusts its caller to release exactly what it took. Not thread-safe: the
 * {@link ActiveQueue} calls it under its own lock.
 */
final class DestinationSlots {
  /** Postfix's transport name for deliveries counted against the local limit. */
  static final String LOCAL = "local";

  /** A destination queue: the transport and its next hop (for local: the recipient). */
  record Destination(String transport, String nexthop) {}

  private final QueueRunner.Concurrency limits;
  private final Map<Destination, Integer> busy = new HashMap<>();

  DestinationSlots(QueueRunner.Concurrency limits) {
    this.limits = limits;
  }

  /** Whether {@code d} has no free slot. */
  boolean full(Destination d) {
    return busy.getOrDefault(d, 0) >= limit(d);
  }

  /** Takes one slot of {@code d} (the caller checked {@link #full} first). */
  void take(Destination d) {
    busy.merge(d, 1, Integer::sum);
  }

  void release(Destination d) {
    busy.computeIfPresent(d, (k, n) -> n <= 1 ? null : n - 1);
  }

  private int limit(Destination d) {
    return Math.max(1, d.transport().equals(LOCAL) ? limits.local() : limits.perDestination());
  }
}
