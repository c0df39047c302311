package org.postern.engine.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postern.engine.qmgr.DestinationSlots.Destination;
import org.postern.engine.queue.QueueId;

/**
 * The active queue's scheduling alone, with attempts the test holds: a message waiting for
 * a full destination takes no thread and starts when a slot frees, one for another
 * destination passes it, the same id is never entered twice, and a stop leaves messages not
 * yet started alone.
 */
class ActiveQueueTest {
  private static final Destination ALICE = new Destination(DestinationSlots.LOCAL, "alice");
  private static final Destination BOB = new Destination(DestinationSlots.LOCAL, "bob");

  private final CountDownLatch hold = new CountDownLatch(1);
  private final List<QueueId> ended = new CopyOnWriteArrayList<>();
  private final AtomicInteger idle = new AtomicInteger();
  private final ActiveQueue active =
      new ActiveQueue(2, new QueueRunner.Concurrency(1, 20, 2), idle::incrementAndGet);
  private final ActiveQueue.Listener listener = new ActiveQueue.Listener() {
    @Override
    public void done(QueueId id, MessageDelivery.Disposition d) {
      ended.add(id);
    }

    @Override
    public void failed(QueueId id, Exception e) {
      throw new AssertionError(e);
    }
  };

  @AfterEach
  void tearDown() {
    hold.countDown();
    active.close();
  }

  @Test
  void aMessageForAFullDestinationWaitsWithoutAThreadAndOthersPassIt() throws Exception {
    QueueId first = QueueId.next();
    QueueId second = QueueId.next();
    QueueId other = QueueId.next();
    CountDownLatch started = new CountDownLatch(1);
    assertTrue(active.enter(first, Set.of(ALICE), () -> {
      started.countDown();
      waitForRelease();
      return MessageDelivery.Disposition.REMOVED;
    }, listener));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    assertTrue(active.enter(second, Set.of(ALICE), this::removed, listener));
    assertTrue(active.enter(other, Set.of(BOB), this::removed, listener));

    // Two threads: alice's second message waits for her slot, not for a thread.
    waitUntil(() -> ended.contains(other));
    assertFalse(ended.contains(second));
    hold.countDown();
    assertTrue(active.awaitIdle(Duration.ofSeconds(5)));
    assertEquals(List.of(other, first, second), ended);
    assertTrue(idle.get() >= 1);
  }

  @Test
  void neverEntersAMessageTwiceWhileItIsInFlight() throws Exception {
    QueueId id = QueueId.next();
    AtomicInteger attempts = new AtomicInteger();
    ActiveQueue.Attempt held = () -> {
      attempts.incrementAndGet();
      waitForRelease();
      return MessageDelivery.Disposition.REMOVED;
    };
    assertTrue(active.enter(id, Set.of(ALICE), held, listener));
    assertFalse(active.enter(id, Set.of(ALICE), held, listener));
    hold.countDown();
    assertTrue(active.awaitIdle(Duration.ofSeconds(5)));
    assertEquals(1, attempts.get());
  }

  @Test
  void aStopLeavesMessagesNotStartedYetAlone() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    assertTrue(active.enter(QueueId.next(), Set.of(ALICE), () -> {
      started.countDown();
      waitForRelease();
      return MessageDelivery.Disposition.REMOVED;
    }, listener));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    AtomicInteger late = new AtomicInteger();
    active.enter(QueueId.next(), Set.of(ALICE), () -> {
      late.incrementAndGet();
      return MessageDelivery.Disposition.REMOVED;
    }, listener);

    active.stopIntake();
    assertFalse(active.enter(QueueId.next(), Set.of(BOB), this::removed, listener));
    hold.countDown();
    assertTrue(active.awaitIdle(Duration.ofSeconds(5)));
    assertEquals(0, late.get());
  }

  private void waitForRelease() {
    try {
      hold.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private MessageDelivery.Disposition removed() {
    return MessageDelivery.Disposition.REMOVED;
  }

  private static void waitUntil(java.util.function.BooleanSupplier c) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!c.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(10);
    }
  }
}
