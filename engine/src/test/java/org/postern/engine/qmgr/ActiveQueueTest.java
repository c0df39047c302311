package org.postern.engine.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * The active queue's scheduling alone, with groups the test holds: a group waiting for a
 * full destination takes no thread and starts when a slot frees, one for another destination
 * passes it, the groups of one message run independently and the message finishes once
 * after the last, the same id is never entered twice, and a stop leaves groups not yet
 * started alone and their message unfinished.
 */
class ActiveQueueTest {
  private static final Destination ALICE = new Destination(DestinationSlots.LOCAL, "alice");
  private static final Destination BOB = new Destination(DestinationSlots.LOCAL, "bob");

  private final CountDownLatch hold = new CountDownLatch(1);
  private final List<String> ran = new CopyOnWriteArrayList<>();
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
  void aGroupForAFullDestinationWaitsWithoutAThreadAndOthersPassIt() throws Exception {
    TestMessage first = new TestMessage().held(ALICE);
    TestMessage second = new TestMessage().quick(ALICE);
    TestMessage other = new TestMessage().quick(BOB);
    assertTrue(active.enter(first, listener));
    first.started.await(5, TimeUnit.SECONDS);
    assertTrue(active.enter(second, listener));
    assertTrue(active.enter(other, listener));

    // Two threads: alice's second message waits for her slot, not for a thread.
    waitUntil(() -> ended.contains(other.id));
    assertFalse(ended.contains(second.id));
    hold.countDown();
    assertTrue(active.awaitIdle(Duration.ofSeconds(5)));
    // Alice's second message may end before the first has finished its message.
    assertEquals(other.id, ended.get(0));
    assertEquals(Set.of(other.id, first.id, second.id), Set.copyOf(ended));
    waitUntil(() -> idle.get() >= 1);
  }

  @Test
  void theGroupsOfAMessageEndOnTheirOwnAndItFinishesOnceAfterTheLast() throws Exception {
    TestMessage both = new TestMessage().held(ALICE).quick(BOB);
    assertTrue(active.enter(both, listener));

    waitUntil(() -> ran.contains("bob"));
    assertTrue(both.started.await(5, TimeUnit.SECONDS));
    assertEquals(0, both.finished.get(), "alice's group still runs");
    assertTrue(active.contains(both.id));
    // Bob's slot is free again while alice's group runs.
    TestMessage next = new TestMessage().quick(BOB);
    assertTrue(active.enter(next, listener));
    waitUntil(() -> ended.contains(next.id));

    hold.countDown();
    assertTrue(active.awaitIdle(Duration.ofSeconds(5)));
    assertEquals(1, both.finished.get());
    assertEquals(List.of(next.id, both.id), ended);
  }

  @Test
  void neverEntersAMessageTwiceWhileAGroupOfItIsInFlight() throws Exception {
    TestMessage m = new TestMessage().held(ALICE);
    assertTrue(active.enter(m, listener));
    assertFalse(active.enter(m, listener));
    assertFalse(active.enter(new TestMessage(m.id).quick(BOB), listener));
    hold.countDown();
    assertTrue(active.awaitIdle(Duration.ofSeconds(5)));
    assertEquals(List.of("alice"), ran);
  }

  @Test
  void aStopLeavesGroupsNotStartedYetAloneAndTheirMessageUnfinished() throws Exception {
    TestMessage running = new TestMessage().held(ALICE);
    assertTrue(active.enter(running, listener));
    assertTrue(running.started.await(5, TimeUnit.SECONDS));
    // A second group for alice waits for her slot; so does the whole next message.
    TestMessage partly = new TestMessage().held(ALICE);
    TestMessage late = new TestMessage().quick(ALICE);
    active.enter(partly, listener);
    active.enter(late, listener);

    active.stopIntake();
    assertFalse(active.enter(new TestMessage().quick(BOB), listener));
    hold.countDown();
    assertTrue(active.awaitIdle(Duration.ofSeconds(5)));
    assertEquals(List.of("alice"), ran);
    assertEquals(List.of(running.id), ended);
    assertEquals(0, late.finished.get());
  }

  @Test
  void afterACloseNoMessageFinishes() throws Exception {
    TestMessage both = new TestMessage().held(ALICE).quick(BOB);
    assertTrue(active.enter(both, listener));
    assertTrue(both.started.await(5, TimeUnit.SECONDS));
    waitUntil(() -> ran.contains("bob"));

    active.close();
    assertTrue(active.awaitIdle(Duration.ofSeconds(5)));
    assertEquals(0, both.finished.get(), "left in active/, as a crash leaves it");
    assertEquals(List.of(), ended);
  }

  /** A message whose groups are held until {@link #hold} opens, or end at once. */
  private final class TestMessage implements ActiveQueue.Message {
    final QueueId id;
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicInteger finished = new AtomicInteger();
    private final List<ActiveQueue.Group> groups = new ArrayList<>();

    TestMessage() {
      this(QueueId.next());
    }

    TestMessage(QueueId id) {
      this.id = id;
    }

    TestMessage held(Destination d) {
      return group(d, true);
    }

    TestMessage quick(Destination d) {
      return group(d, false);
    }

    private TestMessage group(Destination d, boolean held) {
      groups.add(new ActiveQueue.Group() {
        @Override
        public Optional<Destination> destination() {
          return Optional.of(d);
        }

        @Override
        public void run() {
          ran.add(d.nexthop());
          if (held) {
            started.countDown();
            try {
              hold.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
      });
      return this;
    }

    @Override
    public QueueId id() {
      return id;
    }

    @Override
    public List<ActiveQueue.Group> groups() {
      return groups;
    }

    @Override
    public MessageDelivery.Disposition finish() {
      finished.incrementAndGet();
      return MessageDelivery.Disposition.REMOVED;
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier c) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!c.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(10);
    }
  }
}
