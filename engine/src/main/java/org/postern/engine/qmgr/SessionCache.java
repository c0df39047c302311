package org.postern.engine.qmgr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.postern.engine.smtp.Session;

/**
 * Open SMTP sessions kept after a transaction for the next message to the same destination
 * (Postfix's connection cache): a session goes back after a successful RSET and is taken
 * again within {@code maxIdleMillis}; older ones are closed with QUIT.
 *
 * <p>Owns the idle sessions it holds. Thread-safe: a session is used by one thread at a time
 * (taken out while in use).
 */
final class SessionCache {
  private record Idle(Session session, long sinceMillis) {}

  private final long maxIdleMillis;
  private final Map<String, Deque<Idle>> idle = new HashMap<>();

  SessionCache(long maxIdleMillis) {
    this.maxIdleMillis = maxIdleMillis;
  }

  /** A ready session to {@code destination} idle for less than the limit, if any. */
  Optional<Session> take(String destination, long now) {
    while (true) {
      Idle i;
      synchronized (this) {
        Deque<Idle> q = idle.get(destination);
        i = q == null ? null : q.pollLast();
      }
      if (i == null) {
        return Optional.empty();
      }
      if (now - i.sinceMillis < maxIdleMillis && i.session.isOpen()) {
        return Optional.of(i.session);
      }
      i.session.close();
    }
  }

  /** Keeps {@code session} for the next message, if it can be reset; else closes it. */
  void give(String destination, Session session, long now) {
    if (maxIdleMillis <= 0 || !session.reset()) {
      session.close();
      return;
    }
    synchronized (this) {
      idle.computeIfAbsent(destination, d -> new ArrayDeque<>()).addLast(new Idle(session, now));
    }
  }

  /** Closes the sessions idle for the limit or longer. */
  void expire(long now) {
    for (Session s : drain(i -> now - i.sinceMillis >= maxIdleMillis)) {
      s.close();
    }
  }

  /** Closes every idle session. */
  void closeAll() {
    for (Session s : drain(i -> true)) {
      s.close();
    }
  }

  private synchronized List<Session> drain(Predicate<Idle> which) {
    List<Session> out = new ArrayList<>();
    for (Deque<Idle> q : idle.values()) {
      q.removeIf(i -> {
        if (which.test(i)) {
          out.add(i.session);
          return true;
        }
        return false;
      });
    }
    return out;
  }
}
