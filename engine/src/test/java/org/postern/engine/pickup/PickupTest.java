package org.postern.engine.pickup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.Config;
import org.postern.engine.global.MailLog;
import org.postern.engine.postdrop.MaildropWriter;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;
import org.postern.maps.passwd.PasswdFile;

/**
 * Pickup's queueing on real queue directories: a sendmail submission (maildrop or submission
 * socket) gets exactly one Received header, cleanup's, naming its queue id; a message from
 * the SMTP server is queued under the id it brings and gets none from cleanup (headers it
 * adds go under smtpd's, which stays on top); concurrent writers each end up with a complete
 * queue file.
 */
class PickupTest {
  private static final int UID = 1234;
  private static final byte[] MESSAGE = "Subject: s\n\nbody\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path root;
  private QueueDirectory queue;
  private Pickup pickup;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(root.resolve("main.cf"),
        "myhostname = mail.example.org\nmyorigin = example.org\ntrusted_users = root\n");
    Path users = root.resolve("users");
    Files.writeString(users, "carol:x:" + UID + ":100:Carol:/home/carol:/bin/sh\n");
    queue = new QueueDirectory(root.resolve("queue"));
    queue.create();
    Clock clock = Clock.systemDefaultZone();
    pickup = new Pickup(queue, new Cleanup(Config.load(root), PasswdFile.load(users), clock),
        MailLog.to(System.err, "pickup"), clock);
  }

  @Test
  void submissionSocketMessageGetsOneReceivedHeaderFromCleanup() throws Exception {
    QueueId id = pickup.enqueue(envelope(), MESSAGE, UID);
    String content = queued(id);
    assertEquals(1, receivedCount(content), content);
    assertTrue(content.startsWith("Received: by mail.example.org (Postern, from userid " + UID
        + ")\n\tid " + id + "\n\tfor <dave@example.org>; "), content);
  }

  @Test
  void maildropSubmissionGetsOneReceivedHeaderFromCleanup() throws Exception {
    new MaildropWriter(queue).write(envelope(), MESSAGE);
    Map<QueueId, QueueId> picked = pickup.run();
    assertEquals(1, picked.size());
    QueueId id = picked.values().iterator().next();
    String content = queued(id);
    assertEquals(1, receivedCount(content), content);
    assertTrue(content.startsWith("Received: by mail.example.org (Postern, from userid "),
        content);
  }

  @Test
  void smtpMessageIsQueuedUnderItsOwnIdWithoutASecondReceivedHeader() throws Exception {
    QueueId id = QueueId.next();
    byte[] smtp = ("Received: from c (unknown [192.0.2.1])\n\tby mail.example.org (Postern) "
        + "with ESMTP id " + id + "; Wed, 25 Nov 2026 09:00:00 +0000 (UTC)\n"
        + "Subject: s\n\nbody\n").getBytes(StandardCharsets.UTF_8);
    try (MessageSink message = pickup.open(id, envelope(), UID, Cleanup.Origin.SMTP,
        QueueState.INCOMING)) {
      message.content().write(smtp);
      message.commit();
    }
    String content = queued(id);
    assertEquals(1, receivedCount(content), content);
    assertTrue(content.startsWith("Received: from c (unknown [192.0.2.1])\n"), content);
    assertTrue(content.contains("\nMessage-ID: <"), content); // completed under the trace header
  }

  @Test
  void concurrentSubmissionsAllLandCompleteInIncoming() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<QueueId>> ids = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        ids.add(pool.submit(() -> pickup.enqueue(envelope(), MESSAGE, UID)));
      }
      for (Future<QueueId> f : ids) {
        assertTrue(queued(f.get()).endsWith("Subject: s\n\nbody\n"));
      }
      assertEquals(64, queue.list(QueueState.INCOMING).size());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Envelope envelope() {
    return new Envelope(System.currentTimeMillis(), UID, "carol", "carol",
        List.of(new Recipient("dave@example.org")), Map.of());
  }

  private String queued(QueueId id) throws Exception {
    return new String(QueueFileReader.read(queue.file(QueueState.INCOMING, id)).readContent(),
        StandardCharsets.UTF_8);
  }

  private static long receivedCount(String content) {
    String header = content.substring(0, content.indexOf("\n\n") + 1);
    return header.lines().filter(l -> l.startsWith("Received:")).count();
  }
}
