package org.postern.engine.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.bounce.BounceComposer;
import org.postern.engine.bounce.QueuedNotifier;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Transport;
import org.postern.engine.master.MailSystem;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.DeliveryStatus.Result;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;
import org.postern.engine.route.RemoteRoutes;
import org.postern.engine.smtp.Transcript;
import org.postern.maps.FixedTable;

/**
 * The queue manager's scheduling against a temp root, with a local transport that the test
 * holds (a {@code .forward "|sleep 45"} stand-in): a slow recipient delays only its own
 * mail, each local recipient gets at most local_destination_concurrency_limit deliveries at
 * once, a message in flight is never started twice, and a foreground run still waits for
 * everything and reports what was deferred. A message to several recipients is delivered per
 * recipient: a slow one holds neither the others nor the message's other destinations, the
 * message ends once after the last, and a stop mid-way keeps what was already recorded done.
 */
class SchedulerIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;
  private TestInstance mta;
  private HeldTransport transport;
  private QueueRunner runner;
  private Scheduler scheduler;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    mta = TestInstance.create(tmp.resolve("inst"));
    transport = new HeldTransport();
    runner = runner(new QueueRunner.Concurrency(2, 20, 10));
    scheduler = Scheduler.open(mta.queue.root(), new QueueRunner.Concurrency(2, 20, 10), () -> {},
        MailLog.to(System.err, "qmgr"));
  }

  @AfterEach
  void tearDown() {
    transport.release.countDown();
    scheduler.close(WAIT);
  }

  @Test
  void aSlowRecipientDoesNotDelayAnotherMessage() throws Exception {
    mta.submit("Subject: slow\n\nx\n", "alice");
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));
    transport.awaitStarted("alice@example.org", 1);

    for (int i = 0; i < 3; i++) {
      mta.submit("Subject: quick " + i + "\n\nx\n", "bob");
    }
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));

    transport.awaitDelivered("bob@example.org", 3);
    assertEquals(0, transport.delivered("alice@example.org"), "alice is still held");
    assertTrue(waitFor(() -> active().size() == 1), "only alice's message is in flight");
  }

  @Test
  void honoursTheLocalDestinationConcurrencyLimit() throws Exception {
    for (int i = 0; i < 4; i++) {
      mta.submit("Subject: " + i + "\n\nx\n", "alice");
    }
    mta.submit("Subject: other\n\nx\n", "bob");
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));

    transport.awaitStarted("alice@example.org", 2);
    transport.awaitDelivered("bob@example.org", 1);
    assertEquals(2, transport.started("alice@example.org"), "two slots for alice, no more");
    transport.release.countDown();
    transport.awaitDelivered("alice@example.org", 4);
    assertEquals(2, transport.mostAtOnce("alice@example.org"));
  }

  @Test
  void neverStartsAMessageInFlightTwice() throws Exception {
    QueueId queued = mta.submit("Subject: once\n\nx\n", "alice");
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));
    transport.awaitStarted("alice@example.org", 1);

    // More feeds while it runs (arrivals, a periodic scan) find it in active/ or in flight.
    mta.submit("Subject: another\n\nx\n", "bob");
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.ALL));
    transport.awaitDelivered("bob@example.org", 1);
    transport.release.countDown();
    transport.awaitDelivered("alice@example.org", 1);

    assertEquals(1, transport.started("alice@example.org"), "attempted once: " + queued);
    assertFalse(mta.log().contains("recovered from active/"), mta.log());
  }

  @Test
  void holdsTheRunnerLockOnlyWhileDeliveriesAreInFlight() throws Exception {
    mta.submit("Subject: slow\n\nx\n", "alice");
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));
    transport.awaitStarted("alice@example.org", 1);
    assertFalse(lockFree(), "a run by hand waits while the daemon delivers");

    transport.release.countDown();
    transport.awaitDelivered("alice@example.org", 1);
    assertTrue(waitFor(this::lockFree), "let go when idle");
  }

  @Test
  void leavesNewMailToARunByHandThatHoldsTheQueue() throws Exception {
    mta.submit("Subject: later\n\nx\n", "bob");
    try (RunnerLock byHand = RunnerLock.acquire(mta.queue.root())) {
      assertFalse(scheduler.feed(runner, QueueRunner.Scope.NEW));
    }
    assertEquals(0, transport.started("bob@example.org"));
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));
    transport.awaitDelivered("bob@example.org", 1);
  }

  @Test
  void submittersLeaveTheTriggerToAPresentScheduler() throws Exception {
    assertFalse(RunnerLock.requestRun(mta.queue.root()), "the daemon will see the trigger");
    scheduler.close(WAIT);
    assertTrue(RunnerLock.requestRun(mta.queue.root()), "no daemon: start a run");
  }

  private boolean lockFree() {
    try {
      Optional<RunnerLock> l = RunnerLock.tryAcquire(mta.queue.root());
      if (l.isPresent()) {
        l.get().close();
      }
      return l.isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aForegroundRunWaitsForEveryMessageAndReportsTheDeferred() throws Exception {
    transport.release.countDown();
    transport.defer.add("carol@example.org");
    mta.submit("Subject: a\n\nx\n", "alice");
    mta.submit("Subject: b\n\nx\n", "bob");
    mta.submit("Subject: c\n\nx\n", "carol");

    QueueRunner.Report report = runner.run(QueueRunner.Scope.DUE);

    assertEquals(3, report.attempted());
    assertEquals(Set.copyOf(mta.list(QueueState.DEFERRED)), report.deferred());
    assertEquals(1, report.deferred().size());
    assertEquals(1, transport.delivered("alice@example.org"));
    assertEquals(1, transport.delivered("bob@example.org"));
    assertEquals(List.of(), mta.list(QueueState.ACTIVE));
  }

  @Test
  void aSlowRecipientDoesNotHoldUpTheOtherRecipientsOfItsMessage() throws Exception {
    mta.submit("Subject: both\n\nx\n", "alice", "bob");
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));
    transport.awaitStarted("alice@example.org", 1);

    transport.awaitDelivered("bob@example.org", 1);
    QueueId id = mta.list(QueueState.ACTIVE).get(0);
    assertTrue(waitFor(() -> recorded(id, 1).equals(Optional.of(Result.DELIVERED))),
        "bob is recorded done while alice's delivery runs");
    assertTrue(waitFor(() -> log().contains("to=<bob@example.org>")), log());
    assertEquals(Optional.empty(), recorded(id, 0));
    assertFalse(log().contains("removed"), "the message is not finished yet");
    assertEquals(List.of(id), mta.list(QueueState.ACTIVE));

    transport.release.countDown();
    transport.awaitDelivered("alice@example.org", 1);
    assertTrue(waitFor(this::lockFree), "the message finished");
    assertEquals(List.of(), mta.list(QueueState.ACTIVE));
    assertEquals(List.of(), mta.leftovers());
    assertEquals(1, log().split(id + ": removed", -1).length - 1, log());
    assertEquals(1, transport.started("bob@example.org"));
  }

  @Test
  void bouncesOnlyTheFailedRecipientInOneNoticeForTheMessage() throws Exception {
    transport.release.countDown();
    transport.bounce.add("alice@example.org");
    mta.submitAs("carol@example.org", "Subject: both\n\nx\n",
        new Recipient("alice"), new Recipient("bob"));

    QueueRunner.Report report = runner.run(QueueRunner.Scope.DUE);

    assertEquals(Set.of(), report.deferred());
    assertEquals(1, transport.delivered("bob@example.org"));
    List<String> notices = transport.contents("carol@example.org");
    assertEquals(1, notices.size(), "one bounce for the message");
    assertTrue(notices.get(0).contains("alice@example.org"), notices.get(0));
    assertFalse(notices.get(0).contains("bob@example.org"), notices.get(0));
    assertEquals(List.of(), mta.leftovers());
  }

  @Test
  void aStopMidWayKeepsWhatWasDoneAndALaterRunDeliversOnlyTheRest() throws Exception {
    mta.submit("Subject: both\n\nx\n", "alice", "bob");
    assertTrue(scheduler.feed(runner, QueueRunner.Scope.NEW));
    transport.awaitStarted("alice@example.org", 1);
    transport.awaitDelivered("bob@example.org", 1);
    QueueId id = mta.list(QueueState.ACTIVE).get(0);
    assertTrue(waitFor(() -> recorded(id, 1).equals(Optional.of(Result.DELIVERED))));

    // The daemon stops (as a crash would) while alice's delivery runs: interrupted, it
    // finishes nothing; the last delivery thread's end lets go of the runner lock.
    assertFalse(scheduler.close(Duration.ZERO));
    assertTrue(waitFor(this::lockFree));
    assertEquals(List.of(id), mta.list(QueueState.ACTIVE));
    assertEquals(Optional.of(Result.DELIVERED), recorded(id, 1));
    assertFalse(log().contains("removed"), log());

    transport.release.countDown();
    QueueRunner.Report report = runner.run(QueueRunner.Scope.DUE);
    assertEquals(1, report.attempted());
    assertEquals(1, transport.delivered("alice@example.org"));
    assertEquals(1, transport.started("bob@example.org"), "bob is not delivered again");
    assertEquals(List.of(), mta.leftovers());
  }

  private List<QueueId> active() {
    try {
      return mta.list(QueueState.ACTIVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<Result> recorded(QueueId id, int index) {
    try {
      return Optional.ofNullable(
          DeliveryStatus.read(mta.queue.statusFile(id)).recipients().get(index))
          .map(DeliveryStatus.Entry::result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String log() {
    return logged.toString(StandardCharsets.UTF_8);
  }

  private QueueRunner runner(QueueRunner.Concurrency concurrency) throws Exception {
    MailSystem s = mta.system();
    Clock clock = Clock.systemDefaultZone();
    MailLog log = MailLog.to(new PrintStream(logged, true,
        StandardCharsets.UTF_8), "test");
    RemoteRoutes routes =
        new RemoteRoutes(FixedTable.of("mailertable", List.of(), true), Optional.empty());
    return new QueueRunner(
        mta.queue,
        new Pickup(mta.queue, new Cleanup(s.config(), s.users(), clock), log, clock),
        new Router(s.resolver(), transport, routes, s.virtual()),
        null, // no remote recipients in these tests
        new QueuedNotifier(mta.queue, new BounceComposer("mail.example.org", 50000, clock),
            s.envelope(), log),
        Backoff.from(s.config()),
        concurrency,
        new QueueRunner.Logs(log, log, log, Transcript.NONE),
        clock);
  }

  private static boolean waitFor(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /**
   * A local transport that holds every delivery to alice until {@link #release} opens,
   * defers the recipients in {@link #defer}, delivers the rest at once, and counts.
   */
  private static final class HeldTransport implements Transport {
    final CountDownLatch release = new CountDownLatch(1);
    final Set<String> defer = ConcurrentHashMap.newKeySet();
    final Set<String> bounce = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> contents = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();

    @Override
    public String name() {
      return "held";
    }

    @Override
    public DeliveryOutcome deliver(QueueId id, QueueFile message, Recipient recipient,
        DestinationProgress progress) {
      String to = recipient.address();
      count(started, to).incrementAndGet();
      int at = count(now, to).incrementAndGet();
      count(most, to).accumulateAndGet(at, Math::max);
      try {
        if (to.startsWith("alice@")) {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.deferred("4.3.0", "interrupted");
          }
        }
        if (defer.contains(to)) {
          return DeliveryOutcome.deferred("4.2.0", "held back");
        }
        if (bounce.contains(to)) {
          return new DeliveryOutcome.Bounced(new DsnStatus("5.1.1", "no such user"));
        }
        contents(to).add(new String(message.readContent(), StandardCharsets.UTF_8));
        count(delivered, to).incrementAndGet();
        return DeliveryOutcome.delivered("2.0.0", "delivered");
      } catch (IOException e) {
        return DeliveryOutcome.deferred("4.3.0", "cannot read the message: " + e);
      } finally {
        count(now, to).decrementAndGet();
      }
    }

    List<String> contents(String to) {
      return contents.computeIfAbsent(to, k -> new CopyOnWriteArrayList<>());
    }

    int started(String to) {
      return count(started, to).get();
    }

    int delivered(String to) {
      return count(delivered, to).get();
    }

    int mostAtOnce(String to) {
      return count(most, to).get();
    }

    void awaitStarted(String to, int n) throws InterruptedException {
      assertTrue(waitFor(() -> started(to) >= n), to + " started " + started(to) + " < " + n);
    }

    void awaitDelivered(String to, int n) throws InterruptedException {
      assertTrue(waitFor(() -> delivered(to) >= n),
          to + " delivered " + delivered(to) + " < " + n);
    }

    private static AtomicInteger count(Map<String, AtomicInteger> m, String to) {
      return m.computeIfAbsent(to, k -> new AtomicInteger());
    }
  }
}
