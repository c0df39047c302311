package org.postern.engine.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.MailLog;
import org.postern.engine.local.service.LocalClient;
import org.postern.engine.local.service.LocalServer;
import org.postern.engine.local.service.LocalSocket;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.DeliveryStatus;
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
    mta = TestInstance.create(tmp.resolve("inst"), "local_delivery_service = yes");
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
    server = LocalServer.open(socket(), system.queue(), system.localDelivery(system.queue()),
        system.log("local"));
    serving = new Thread(server::serve, "test-local-service");
    serving.start();
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
    LocalClient client = new LocalClient(socket(), Duration.ofSeconds(30));

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
    LocalClient client = new LocalClient(socket(), Duration.ofSeconds(30));

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

    DeliveryOutcome o = new LocalClient(socket(), Duration.ofSeconds(30)).deliver(id, file,
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
            system.localDelivery(system.queue()), MailLog.to(System.err, "local")));
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
