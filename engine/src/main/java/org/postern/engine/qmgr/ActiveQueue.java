package org.postern.engine.qmgr;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.engine.qmgr.DestinationSlots.Destination;
import org.postern.engine.queue.QueueId;

/**
 * The messages of one process being delivered (Postfix's qmgr_active): each message entered
 * starts as soon as a delivery thread and a slot of every destination it needs are free,
 * without waiting for the others; one that must wait is parked on its full destination and
 * woken when that destination frees a slot, so a slow destination delays only its own mail.
 * A message is never entered twice while it is in flight.
 *
 * <p>Trusts its callers' destination sets; the attempts decide their own outcomes, an
 * exception of one is handed to its listener, not to the other messages. Owns a bounded
 * executor ({@code qmgr-delivery}, one thread per delivery at most {@code threads}). A
 * message left waiting at shutdown is untouched (its claim is the attempt's first step).
 * Thread-safe.
 */
final class ActiveQueue implements AutoCloseable {
  /** One delivery attempt of one message: what became of it. */
  @FunctionalInterface
  interface Attempt {
    MessageDelivery.Disposition run() throws IOException;
  }

  /** Hears of each message's end, on its delivery thread, before it leaves the queue. */
  interface Listener {
    void done(QueueId id, MessageDelivery.Disposition disposition);

    /** An IOException of the queue itself, or a bug (RuntimeException) outside any transport. */
    void failed(QueueId id, Exception e);
  }

  private record Entry(QueueId id, Set<Destination> destinations, Attempt attempt,
      Listener listener) {}

  private final int threads;
  private final DestinationSlots slots;
  private final ThreadPoolExecutor executor;
  private final Runnable onIdle;
  private final Set<QueueId> inFlight = new HashSet<>();
  private final Deque<Entry> ready = new ArrayDeque<>();
  private final Map<Destination, Deque<Entry>> parked = new HashMap<>();
  private int running;
  private boolean closed;

  /** {@code onIdle} runs (on a delivery thread) each time the last message in flight ends. */
  ActiveQueue(int threads, QueueRunner.Concurrency limits, Runnable onIdle) {
    this.threads = Math.max(1, threads);
    this.slots = new DestinationSlots(limits);
    this.onIdle = onIdle;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(this.threads, this.threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(this.threads), r -> {
          Thread t = new Thread(r, "qmgr-delivery-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Enters a message unless it is already in flight here or intake stopped; returns whether
   * it was entered. It starts at once when its destinations have room.
   */
  synchronized boolean enter(QueueId id, Set<Destination> destinations, Attempt attempt,
      Listener listener) {
    if (closed || !inFlight.add(id)) {
      return false;
    }
    ready.addLast(new Entry(id, Set.copyOf(destinations), attempt, listener));
    dispatch();
    return true;
  }

  synchronized boolean contains(QueueId id) {
    return inFlight.contains(id);
  }

  synchronized boolean idle() {
    return inFlight.isEmpty();
  }

  /** Waits until nothing is in flight. */
  synchronized void awaitIdle() throws InterruptedException {
    while (!inFlight.isEmpty()) {
      wait();
    }
  }

  /** Waits until nothing is in flight, at most {@code limit}; returns whether it is idle. */
  synchronized boolean awaitIdle(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!inFlight.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Stops intake: messages not started yet leave the queue untouched; running ones go on. */
  synchronized void stopIntake() {
    closed = true;
    for (Entry e : ready) {
      inFlight.remove(e.id());
    }
    parked.values().forEach(q -> q.forEach(e -> inFlight.remove(e.id())));
    ready.clear();
    parked.clear();
    notifyAll();
  }

  /** Stops intake and interrupts what still runs (its queue file stays where it is). */
  @Override
  public void close() {
    stopIntake();
    executor.shutdownNow();
  }

  /** Starts what can start: free threads, and a free slot on each destination. */
  private void dispatch() {
    while (running < threads && !ready.isEmpty()) {
      Entry e = ready.pollFirst();
      Optional<Destination> full = slots.full(e.destinations());
      if (full.isPresent()) {
        parked.computeIfAbsent(full.get(), d -> new ArrayDeque<>()).addLast(e);
        continue;
      }
      slots.take(e.destinations());
      running++;
      executor.execute(() -> deliver(e));
    }
  }

  private void deliver(Entry e) {
    try {
      e.listener().done(e.id(), e.attempt().run());
    } catch (IOException | RuntimeException x) {
      e.listener().failed(e.id(), x);
    } finally {
      if (finish(e)) {
        onIdle.run();
      }
    }
  }

  /** Frees the message's slots, wakes one parked message per slot; true when now idle. */
  private synchronized boolean finish(Entry e) {
    running--;
    inFlight.remove(e.id());
    slots.release(e.destinations());
    for (Destination d : e.destinations()) {
      Deque<Entry> waiting = parked.get(d);
      if (waiting != null) {
        ready.addFirst(waiting.pollFirst());
        if (waiting.isEmpty()) {
          parked.remove(d);
        }
      }
    }
    if (!closed) {
      dispatch();
    }
    notifyAll();
    return inFlight.isEmpty();
  }
}
