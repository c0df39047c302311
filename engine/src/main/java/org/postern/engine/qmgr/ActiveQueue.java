package org.postern.engine.qmgr;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.engine.qmgr.DestinationSlots.Destination;
import org.postern.engine.queue.QueueId;

/**
 * The deliveries of one process in flight (Postfix's qmgr_active): a message enters as its
 * destination groups, and each group starts on its own delivery thread as soon as a thread
 * and a slot of its one destination are free; one that must wait is parked on its full
 * destination and woken when that frees a slot, so a slow destination delays only itself.
 * The message ends ({@link Message#finish}) on the thread of its last group, only when every
 * group ran; a message is never entered twice while any group of it is in flight.
 *
 * <p>Trusts its callers' groups; a group's exception goes to its message's listener, not to
 * the others, and keeps that message from finishing. Owns a bounded executor
 * ({@code qmgr-delivery}, at most {@code threads} groups at once). A group not started at
 * shutdown is dropped and its message left where it is (not claimed, or in active/ for
 * recovery); after {@link #close} no message finishes. Thread-safe.
 */
final class ActiveQueue implements AutoCloseable {
  /** One destination group of a message: what it occupies, and its delivery. */
  interface Group {
    /** The destination whose slot it takes; empty for recipients that need none. */
    Optional<Destination> destination();

    void run() throws IOException;
  }

  /** A message in flight: its groups, and its end once all of them ran. */
  interface Message {
    QueueId id();

    /** At least one. */
    List<? extends Group> groups();

    /** Called once, on the thread of the last group to end, if every group ran cleanly. */
    MessageDelivery.Disposition finish() throws IOException;
  }

  /** Hears of each message's end, on a delivery thread, before it leaves the queue. */
  interface Listener {
    void done(QueueId id, MessageDelivery.Disposition disposition);

    /** An IOException of the queue itself, or a bug (RuntimeException) outside any transport. */
    void failed(QueueId id, Exception e);
  }

  /** A message's groups not ended yet; whether one was dropped or failed. Guarded by this. */
  private static final class Flight {
    final Message message;
    final Listener listener;
    int left;
    boolean incomplete;

    Flight(Message message, Listener listener) {
      this.message = message;
      this.listener = listener;
      this.left = message.groups().size();
    }
  }

  private record Entry(Flight flight, Group group) {}

  private final int threads;
  private final DestinationSlots slots;
  private final ThreadPoolExecutor executor;
  private final Runnable onIdle;
  private final Map<QueueId, Flight> inFlight = new HashMap<>();
  private final Deque<Entry> ready = new ArrayDeque<>();
  private final Map<Destination, Deque<Entry>> parked = new HashMap<>();
  private int running;
  private boolean closed;
  private boolean abandoned;

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
   * Enters a message's groups unless it is already in flight here or intake stopped;
   * returns whether it was entered. Each group starts at once when its destination has room.
   */
  synchronized boolean enter(Message message, Listener listener) {
    if (closed || inFlight.containsKey(message.id())) {
      return false;
    }
    Flight f = new Flight(message, listener);
    inFlight.put(message.id(), f);
    for (Group g : message.groups()) {
      ready.addLast(new Entry(f, g));
    }
    dispatch();
    return true;
  }

  synchronized boolean contains(QueueId id) {
    return inFlight.containsKey(id);
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

  /**
   * Stops intake: groups not started yet are dropped (their messages do not finish and stay
   * where they are); running ones go on.
   */
  synchronized void stopIntake() {
    closed = true;
    ready.forEach(this::drop);
    parked.values().forEach(q -> q.forEach(this::drop));
    ready.clear();
    parked.clear();
    notifyAll();
  }

  /**
   * Stops intake and interrupts what still runs, as a crash would: a group that ends after
   * this records its progress, but no message finishes (each stays in active/).
   */
  @Override
  public void close() {
    synchronized (this) {
      abandoned = true;
    }
    stopIntake();
    executor.shutdownNow();
  }

  private void drop(Entry e) {
    Flight f = e.flight();
    f.incomplete = true;
    if (--f.left == 0) {
      inFlight.remove(f.message.id());
    }
  }

  /** Starts what can start: free threads, and a free slot on each group's destination. */
  private void dispatch() {
    while (running < threads && !ready.isEmpty()) {
      Entry e = ready.pollFirst();
      Optional<Destination> d = e.group().destination();
      if (d.isPresent() && slots.full(d.get())) {
        parked.computeIfAbsent(d.get(), k -> new ArrayDeque<>()).addLast(e);
        continue;
      }
      d.ifPresent(slots::take);
      running++;
      executor.execute(() -> deliver(e));
    }
  }

  private void deliver(Entry e) {
    Flight f = e.flight();
    boolean ok = false;
    try {
      e.group().run();
      ok = true;
    } catch (IOException | RuntimeException x) {
      f.listener.failed(f.message.id(), x);
    } finally {
      boolean last = release(e, ok);
      if (last && finishes(f)) {
        end(f);
      }
      if (leave(f, last)) {
        onIdle.run();
      }
    }
  }

  /**
   * Frees the group's slot and starts one group parked on it (if a thread is free); true
   * when it was its message's last.
   */
  private synchronized boolean release(Entry e, boolean ok) {
    Flight f = e.flight();
    f.incomplete |= !ok;
    e.group().destination().ifPresent(d -> {
      slots.release(d);
      Deque<Entry> waiting = parked.get(d);
      if (waiting != null) {
        ready.addFirst(waiting.pollFirst());
        if (waiting.isEmpty()) {
          parked.remove(d);
        }
      }
    });
    if (!closed) {
      dispatch(); // the slot is free now, even if this thread still finishes the message
    }
    return --f.left == 0;
  }

  /** Whether a message whose groups all ended finishes: all ran cleanly, and no crash-stop. */
  private synchronized boolean finishes(Flight f) {
    return !f.incomplete && !abandoned;
  }

  private static void end(Flight f) {
    try {
      f.listener.done(f.message.id(), f.message.finish());
    } catch (IOException | RuntimeException x) {
      f.listener.failed(f.message.id(), x);
    }
  }

  /** The thread is free again; the message leaves when its last group did. True when idle. */
  private synchronized boolean leave(Flight f, boolean last) {
    running--;
    if (last) {
      inFlight.remove(f.message.id());
    }
    if (!closed) {
      dispatch();
    }
    notifyAll();
    return inFlight.isEmpty();
  }
}
