package org.postern.engine.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.MailLog;
import org.postern.engine.local.ForwardedCopy;
import org.postern.engine.local.Handoff;
import org.postern.engine.local.MailboxTransport;
import org.postern.engine.local.OwnerNotice;
import org.postern.engine.local.service.LocalClient;
import org.postern.engine.local.service.LocalServer;
import org.postern.engine.local.service.LocalSocket;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * The queue runner handing local deliveries to the local delivery service over its UNIX
 * socket (local_delivery_service = yes), against a real socket in a temp instance: the
 * service re-reads the queue file, refuses what is not in it, and a service that is down
 * defers the mail instead of losing it.
 */
class LocalServiceIT {
  private static final String MESSAGE = "Subject: via the service\n\nhello\n";

  @TempDir Path tmp;
  private TestInstance mta;
  private LocalServer server;
  private Thread serving;

  @BeforeEach
  void setUp() throws Exception {
    // Mail to bob and to team (bob, carol) reaches bob's mailbox from two delivery threads
    // at once: the second waits for the first's lock instead of deferring at once.
    mta = TestInstance.create(tmp.resolve("inst"), "local_delivery_service = yes",
        "relayhost = [127.0.0.1]:1", "deliver_lock_delay = 5s");
    mta.aliases(Map.of("postmaster", "alice", "team", "bob, carol"));
  }

  @AfterEach
  void tearDown() throws Exception {
    stopService();
  }

  private Path socket() throws Exception {
    return LocalSocket.path(mta.system().config());
  }

  private void startService() throws Exception {
    MailSystem system = mta.system();
    server = LocalServer.open(socket(), system.queue(), system.localDelivery(),
        system.passesMailboxes(), system.log("local"));
    serving = new Thread(server::serve, "test-local-service");
    serving.start();
  }

  private LocalClient client(Handoff handoff) throws Exception {
    return new LocalClient(socket(), Duration.ofSeconds(30), handoff, Optional.empty(),
        MailLog.to(System.err, "local"));
  }

  /** What the service hands back, kept (or refused, as a full disk would). */
  private static final class Recorded implements Handoff {
    final List<ForwardedCopy> forwards = new ArrayList<>();
    final List<OwnerNotice> notices = new ArrayList<>();
    private final boolean fail;

    Recorded(boolean fail) {
      this.fail = fail;
    }

    @Override
    public void forward(QueueId id, QueueFile original, ForwardedCopy copy) throws IOException {
      if (fail) {
        throw new IOException("No space left on device");
      }
      forwards.add(copy);
    }

    @Override
    public void notifyOwner(QueueId id, QueueFile original, OwnerNotice notice) {
      notices.add(notice);
    }
  }

  @Test
  void theServiceHandsForwardedCopiesBackAndQueuesNothingItself() throws Exception {
    mta.aliases(Map.of("postmaster", "alice", "fwd", "far@example.com, bob"));
    startService();
    QueueId id = mta.enqueue(QueueState.ACTIVE, System.currentTimeMillis(), "alice@example.org",
        MESSAGE, "fwd@example.org");
    Recorded handoff = new Recorded(false);
    DestinationProgress progress = new DestinationProgress(Set.of());

    DeliveryOutcome o = client(handoff).deliver(id, QueueFileReader.read(mta.queue.file(
        QueueState.ACTIVE, id)), new Recipient("fwd@example.org"), progress);

    assertInstanceOf(DeliveryOutcome.Delivered.class, o, o.toString());
    assertEquals(1, handoff.forwards.size());
    ForwardedCopy copy = handoff.forwards.get(0);
    assertEquals("far@example.com", copy.recipients().get(0).address());
    assertEquals(List.of("Delivered-To: fwd@example.org"), copy.deliveredTo());
    assertTrue(progress.done().containsAll(copy.keys()));
    assertEquals(List.of(), mta.list(QueueState.INCOMING), "the service wrote no queue file");
    assertEquals(1, mta.messages("bob"));
  }

  @Test
  void aForwardedCopyTheDaemonCannotQueueDefersTheRecipientAndStaysToDo() throws Exception {
    mta.aliases(Map.of("postmaster", "alice", "fwd", "far@example.com, bob"));
    startService();
    QueueId id = mta.enqueue(QueueState.ACTIVE, System.currentTimeMillis(), "alice@example.org",
        MESSAGE, "fwd@example.org");
    DestinationProgress progress = new DestinationProgress(Set.of());

    DeliveryOutcome o = client(new Recorded(true)).deliver(id, QueueFileReader.read(
        mta.queue.file(QueueState.ACTIVE, id)), new Recipient("fwd@example.org"), progress);

    assertInstanceOf(DeliveryOutcome.Deferred.class, o);
    assertEquals("4.3.0", o.status().code());
    assertTrue(o.reason().contains("cannot queue forwarded copy"), o.reason());
    assertEquals(1, progress.done().size(), "bob's mailbox only: " + progress.done());
    assertEquals(1, mta.messages("bob"));
  }

  @Test
  void aForwardThroughTheServiceIsQueuedByTheDaemonUnderTheIdTheServiceLogged()
      throws Exception {
    mta.aliases(Map.of("postmaster", "alice", "fwd", "far@example.com"));
    startService();
    mta.submit(MESSAGE, "fwd");

    mta.run();

    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("forwarded as ([0-9A-Z]{16}) from=<").matcher(mta.log());
    assertTrue(m.find(), mta.log());
    QueueId copy = new QueueId(m.group(1));
    assertTrue(mta.queue.locate(copy).isPresent(), "the copy is queued: " + mta.log());
    assertTrue(mta.log().contains("status=sent (forwarded as " + copy + ")"), mta.log());
  }

  /** The daemon's LMTP store, as far as the service can tell: outcomes by local part. */
  private static final class Store implements MailboxTransport {
    final List<Recipient> passed = new ArrayList<>();
    private final Map<String, DeliveryOutcome> outcomes;

    Store(Map<String, DeliveryOutcome> outcomes) {
      this.outcomes = outcomes;
    }

    @Override
    public synchronized DeliveryOutcome deliver(QueueId id, QueueFile message, Recipient r) {
      passed.add(r);
      return outcomes.get(r.address().substring(0, r.address().indexOf('@')));
    }
  }

  @Test
  void mailboxTransportDeliveriesComeBackToTheDaemonAfterAliasesAndAreNotRepeated()
      throws Exception {
    mta = TestInstance.create(tmp.resolve("lmtp"), "local_delivery_service = yes",
        "relayhost = [127.0.0.1]:1", "mailbox_transport = lmtp:unix:/nonexistent/lmtp");
    mta.aliases(Map.of("postmaster", "alice", "team", "bob, carol, ghost, |/bin/true"));
    startService();
    QueueId id = mta.enqueue(QueueState.ACTIVE, System.currentTimeMillis(), "alice@example.org",
        MESSAGE, "team@example.org");
    QueueFile file = QueueFileReader.read(mta.queue.file(QueueState.ACTIVE, id));
    Store store = new Store(Map.of("bob", DeliveryOutcome.delivered("2.0.0", "Saved"),
        "carol", DeliveryOutcome.deferred("4.2.0", "mailbox locked"),
        "ghost", DeliveryOutcome.bounced("5.1.1", "User doesn't exist")));
    LocalClient client = new LocalClient(socket(), Duration.ofSeconds(30), new Recorded(false),
        Optional.of(store), MailLog.to(System.err, "local"));
    DestinationProgress progress = new DestinationProgress(Set.of());

    DeliveryOutcome o = client.deliver(id, file, new Recipient("team@example.org"), progress);

    // Unknown to passwd, ghost is passed too (Postfix: mailbox_transport before getpwnam).
    assertEquals(List.of("bob", "carol", "ghost"), store.passed.stream()
        .map(r -> r.address().substring(0, r.address().indexOf('@'))).toList());
    assertTrue(store.passed.stream().allMatch(r -> r.original().equals("team@example.org")));
    assertInstanceOf(DeliveryOutcome.Deferred.class, o, o.toString());
    assertEquals("4.2.0", o.status().code());
    assertTrue(o.reason().contains("(expanded from team@example.org): mailbox locked"),
        o.reason());
    assertTrue(progress.done().contains("mailbox:bob"), progress.done().toString());
    assertTrue(progress.loggedPerDestination());
    assertEquals("", mta.mbox("bob"), "the store has it, not the mbox");

    // The retry passes only what is not done; the store's bounce names its destination.
    store.passed.clear();
    Store later = new Store(Map.of("carol", DeliveryOutcome.delivered("2.0.0", "Saved"),
        "ghost", DeliveryOutcome.bounced("5.1.1", "User doesn't exist")));
    o = new LocalClient(socket(), Duration.ofSeconds(30), new Recorded(false),
        Optional.of(later), MailLog.to(System.err, "local")).deliver(id, file,
        new Recipient("team@example.org"), progress);

    assertEquals(List.of("carol", "ghost"), later.passed.stream()
        .map(r -> r.address().substring(0, r.address().indexOf('@'))).toList());
    assertInstanceOf(DeliveryOutcome.Bounced.class, o, o.toString());
    assertTrue(o.reason().startsWith("ghost (expanded from team@example.org): User doesn't"),
        o.reason());
  }

  @Test
  void aDaemonWithoutMailboxTransportDefersWhatTheServicePasses() throws Exception {
    mta = TestInstance.create(tmp.resolve("lmtp"), "local_delivery_service = yes",
        "relayhost = [127.0.0.1]:1", "mailbox_transport = lmtp:unix:/nonexistent/lmtp");
    startService();
    QueueId id = mta.enqueue(QueueState.ACTIVE, System.currentTimeMillis(), "alice@example.org",
        MESSAGE, "bob@example.org");

    DeliveryOutcome o = client(new Recorded(false)).deliver(id, QueueFileReader.read(
        mta.queue.file(QueueState.ACTIVE, id)), new Recipient("bob@example.org"),
        new DestinationProgress(Set.of()));

    assertInstanceOf(DeliveryOutcome.Deferred.class, o, o.toString());
    assertEquals("4.3.5", o.status().code());
    assertEquals("", mta.mbox("bob"));
  }

  private void stopService() throws Exception {
    if (server != null) {
      server.close();
      serving.join(5000);
      server = null;
    }
  }

  @Test
  void deliversLocalMailThroughTheServiceSocket() throws Exception {
    startService();
    mta.submit(MESSAGE, "bob", "team");

    mta.run();

    assertEquals(2, mta.messages("bob"), "bob directly and through the alias");
    assertEquals(1, mta.messages("carol"));
    assertTrue(mta.mbox("carol").contains("Subject: via the service"));
    assertEquals(List.of(), mta.leftovers());
    assertTrue(Files.exists(socket()), "the socket stays while the service runs");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(socket())));
  }

  @Test
  void defersWhileTheServiceIsDownAndDeliversOnceItRuns() throws Exception {
    mta.submit(MESSAGE, "bob");

    mta.run();

    assertEquals(1, mta.list(QueueState.DEFERRED).size());
    QueueId id = mta.list(QueueState.DEFERRED).get(0);
    DeliveryStatus status = DeliveryStatus.read(mta.queue.statusFile(id));
    assertEquals("4.3.0", status.recipients().get(0).status().code());
    assertTrue(status.recipients().get(0).status().text()
        .startsWith("local delivery service unavailable: connect to "), status.toString());
    assertEquals("", mta.mbox("bob"));

    startService();
    mta.run();

    assertEquals(1, mta.messages("bob"));
    assertEquals(List.of(), mta.leftovers());
  }

  @Test
  void refusesARecipientThatIsNotInTheQueueFile() throws Exception {
    startService();
    QueueId id = mta.enqueue(QueueState.ACTIVE, System.currentTimeMillis(), "alice@example.org",
        MESSAGE, "bob@example.org");
    LocalClient client = client(new Recorded(false));

    DeliveryOutcome o = client.deliver(id, QueueFileReader.read(mta.queue.file(
        QueueState.ACTIVE, id)), new Recipient("carol@example.org"), new DestinationProgress(
        Set.of()));

    assertInstanceOf(DeliveryOutcome.Deferred.class, o);
    assertTrue(o.reason().contains("<carol@example.org> is not a recipient of queue file"),
        o.reason());
    assertEquals("", mta.mbox("carol"));
    assertTrue(mta.log().contains(id + ": local delivery refused: <carol@example.org> is not a"
        + " recipient"), mta.log());
  }

  @Test
  void refusesAMessageThatIsNotInTheActiveQueue() throws Exception {
    startService();
    QueueId id = mta.enqueue(QueueState.DEFERRED, System.currentTimeMillis(),
        "alice@example.org", MESSAGE, "bob@example.org");
    LocalClient client = client(new Recorded(false));

    DeliveryOutcome o = client.deliver(id, QueueFileReader.read(mta.queue.file(
        QueueState.DEFERRED, id)), new Recipient("bob@example.org"),
        new DestinationProgress(Set.of()));

    assertInstanceOf(DeliveryOutcome.Deferred.class, o);
    assertTrue(o.reason().contains("no such queue file"), o.reason());
    assertEquals("", mta.mbox("bob"));
  }

  @Test
  void refusesADamagedQueueFile() throws Exception {
    startService();
    QueueId id = mta.enqueue(QueueState.ACTIVE, System.currentTimeMillis(), "alice@example.org",
        MESSAGE, "bob@example.org");
    var file = QueueFileReader.read(mta.queue.file(QueueState.ACTIVE, id));
    // A byte changed after the daemon read it: the service's own check sees it.
    Path p = mta.queue.file(QueueState.ACTIVE, id);
    byte[] bytes = Files.readAllBytes(p);
    bytes[bytes.length - 20] ^= 1;
    Files.write(p, bytes);

    DeliveryOutcome o = client(new Recorded(false)).deliver(id, file,
        new Recipient("bob@example.org"), new DestinationProgress(Set.of()));

    assertInstanceOf(DeliveryOutcome.Deferred.class, o);
    assertTrue(o.reason().contains("is damaged"), o.reason());
    assertEquals("", mta.mbox("bob"));
  }

  @Test
  void aSecondServiceOnTheSameSocketIsRefusedAndAStaleSocketIsReplaced() throws Exception {
    startService();
    MailSystem system = mta.system();
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.io.IOException.class, () -> LocalServer.open(socket(), system.queue(),
            system.localDelivery(), false, MailLog.to(System.err, "local")));
    assertTrue(e.getMessage().contains("another local delivery service is serving this socket"));

    // A crashed service leaves its socket file behind; the next one takes its place.
    server.close();
    serving.join(5000);
    server = null;
    Files.deleteIfExists(socket());
    java.nio.channels.ServerSocketChannel stale =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
    stale.bind(java.net.UnixDomainSocketAddress.of(socket()));
    stale.close(); // the file stays, nobody listens
    startService();
    mta.submit(MESSAGE, "bob");
    mta.run();
    assertEquals(1, mta.messages("bob"));
  }
}
