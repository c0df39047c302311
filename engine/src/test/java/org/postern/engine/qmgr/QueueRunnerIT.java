package org.postern.engine.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * Queue runs of a whole instance (pickup, cleanup, qmgr, local delivery, bounces) against a
 * temp root, and crash tests (STYLE.md §8): the queue left as a crash at each step would leave
 * it, then one run, then "no mail lost, at most duplicated".
 */
class QueueRunnerIT {
  private static final Pattern FROM_LINE = Pattern.compile(
      "From (\\S+)  (Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
          + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
          + "[ 1-3]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}");
  private static final String MESSAGE = "Subject: hello\n\nline one\nFrom me, quoted\n";
  private static final long HOUR = 3_600_000L;

  @TempDir Path tmp;
  private TestInstance mta;

  @BeforeEach
  void setUp() throws Exception {
    mta = TestInstance.create(tmp.resolve("inst"));
  }

  // Delivery.

  @Test
  void deliversAMaildropSubmissionToTheMboxWithEnvelopeHeaders() throws Exception {
    mta.submit(MESSAGE, "bob");

    mta.run();

    String mbox = mta.mbox("bob");
    List<String> lines = mbox.lines().toList();
    var from = FROM_LINE.matcher(lines.get(0));
    assertTrue(from.matches(), "From_ line: " + lines.get(0));
    assertEquals("alice@example.org", from.group(1));
    assertEquals("Return-Path: <alice@example.org>", lines.get(1));
    assertEquals("X-Original-To: bob@example.org", lines.get(2));
    assertEquals("Delivered-To: bob@example.org", lines.get(3));
    assertTrue(lines.get(4).startsWith("Received: by mail.example.org (Postern, from userid "),
        lines.get(4));
    assertTrue(mbox.contains("\nSubject: hello\n"), mbox);
    assertTrue(mbox.endsWith("\n\nline one\n>From me, quoted\n\n"), mbox);
    assertEquals(1, mta.messages("bob"));
    assertEquals(List.of(), mta.leftovers());
  }

  @Test
  void logsTheLifeOfAMessage() throws Exception {
    mta.submit(MESSAGE, "bob");

    mta.run();

    String log = mta.log();
    assertTrue(log.contains("from=<alice@example.org>, size="), log);
    assertTrue(Pattern.compile("[0-9A-Z]{16}: to=<bob@example.org>, relay=local, delay=[0-9.]+, "
        + "delays=[0-9.]+/0/0/[0-9.]+, dsn=2\\.0\\.0, status=sent \\(delivered to mailbox\\)")
        .matcher(log).find(), log);
    assertTrue(Pattern.compile("[0-9A-Z]{16}: removed\n").matcher(log).find(), log);
  }

  @Test
  void bouncesAnUnknownUserToTheSendersMailbox() throws Exception {
    mta.submit(MESSAGE, "nosuchuser");

    mta.run();

    String bounce = mta.mbox("alice");
    assertEquals(1, mta.messages("alice"));
    assertTrue(bounce.startsWith("From MAILER-DAEMON  "), bounce);
    assertTrue(bounce.contains("\nReturn-Path: <>\n"), bounce);
    assertTrue(bounce.contains("\nSubject: Undelivered Mail Returned to Sender\n"), bounce);
    assertTrue(bounce.contains("Content-Type: multipart/report; report-type=delivery-status;"),
        bounce);
    assertTrue(bounce.contains("Final-Recipient: rfc822; nosuchuser@example.org"), bounce);
    assertTrue(bounce.contains("Status: 5.1.1"), bounce);
    assertTrue(bounce.contains("Subject: hello"), "the original is returned: " + bounce);
    assertFalse(Files.exists(mta.mailbox("nosuchuser")));
    assertEquals(List.of(), mta.leftovers(), "original and bounce both gone from the queue");
  }

  @Test
  void sendsTheBounceOfANullSenderMessageToThePostmasterNotTheSender() throws Exception {
    mta.submitAs("", MESSAGE, new Recipient("nosuchuser"));

    mta.run();

    // postmaster is alice in the test instance: one double-bounce notice, nothing else.
    assertEquals(1, mta.messages("alice"));
    String notice = Files.readString(mta.mailbox("alice"));
    assertTrue(notice.contains("Status: 5.1.1"), notice);
    assertEquals(List.of(), mta.leftovers());
    assertTrue(mta.log().contains("undeliverable bounce sent to the postmaster"), mta.log());
  }

  @Test
  void dropsAPostmasterNoticeThatCannotBeDelivered() throws Exception {
    mta.aliases(java.util.Map.of("postmaster", "nosuchadmin"));
    mta.submitAs("", MESSAGE, new Recipient("nosuchuser"));

    mta.run();
    mta.run();

    try (var spool = Files.list(mta.root.resolve("mail"))) {
      assertEquals(List.of(), spool.toList(), "nothing delivered anywhere");
    }
    assertEquals(List.of(), mta.leftovers(), "no loop of notices");
    assertTrue(mta.log().contains("undeliverable postmaster notification discarded"), mta.log());
  }

  @Test
  void bouncesWhenTheMailboxIsADirectory() throws Exception {
    Files.createDirectory(mta.mailbox("bob"));
    mta.submit(MESSAGE, "bob");

    mta.run();

    String bounce = mta.mbox("alice");
    assertTrue(bounce.contains("Status: 5.2.0"), bounce);
    assertTrue(Files.isDirectory(mta.mailbox("bob")));
    assertEquals(List.of(), mta.leftovers());
  }

  @Test
  void defersWhenTheMailboxIsLockedAndDeliversOnceWhenItIsFree() throws Exception {
    Path lock = mta.lock("bob");
    mta.submit(MESSAGE, "bob");

    QueueRunner.Report first = mta.run();

    assertEquals(1, mta.list(QueueState.DEFERRED).size());
    QueueId id = mta.list(QueueState.DEFERRED).get(0);
    assertEquals(java.util.Set.of(id), first.deferred());
    DeliveryStatus status = DeliveryStatus.read(mta.queue.statusFile(id));
    assertEquals(1, status.attempts());
    assertEquals("4.2.0", status.recipients().get(0).status().code());
    assertFalse(Files.exists(mta.mailbox("bob")));
    assertEquals("", mta.mbox("alice"), "a deferral is not a bounce");

    Files.delete(lock);
    mta.run();

    assertEquals(1, mta.messages("bob"));
    assertEquals(List.of(), mta.leftovers());
    mta.run();
    assertEquals(1, mta.messages("bob"), "a later run delivers nothing again");
  }

  @Test
  void neverDeliversAgainToRecipientsAlreadyDone() throws Exception {
    Path lock = mta.lock("carol");
    mta.submit(MESSAGE, "bob", "carol", "dave");

    mta.run();

    assertEquals(1, mta.messages("bob"));
    assertEquals(0, mta.messages("carol"));
    assertEquals(1, mta.messages("dave"));
    assertEquals(1, mta.list(QueueState.DEFERRED).size());

    Files.delete(lock);
    mta.run();

    assertEquals(1, mta.messages("bob"));
    assertEquals(1, mta.messages("carol"));
    assertEquals(1, mta.messages("dave"));
    assertEquals(List.of(), mta.leftovers());
  }

  @Test
  void sendsASuccessNoticeWhenAsked() throws Exception {
    mta.submitAs(null, MESSAGE, new Recipient("bob", "bob", "success"));

    mta.run();

    assertEquals(1, mta.messages("bob"));
    String notice = mta.mbox("alice");
    assertTrue(notice.contains("\nSubject: Successful Mail Delivery Report\n"), notice);
    assertTrue(notice.contains("Action: delivered"), notice);
    assertTrue(notice.contains("Status: 2.0.0"), notice);
  }

  @Test
  void sendsNoSuccessNoticeByDefault() throws Exception {
    mta.submit(MESSAGE, "bob");

    mta.run();

    assertEquals("", mta.mbox("alice"));
  }

  @Test
  void returnsAMessageThatStayedQueuedTooLong() throws Exception {
    mta.lock("bob");
    mta.enqueue(QueueState.INCOMING, System.currentTimeMillis() - 6 * 24 * HOUR,
        "alice@example.org", MESSAGE, "bob@example.org");

    mta.run();

    String bounce = mta.mbox("alice");
    assertTrue(bounce.contains("\nSubject: Undelivered Mail Returned to Sender\n"), bounce);
    assertTrue(bounce.contains("Status: 5.4.7"), bounce);
    assertTrue(mta.log().contains("status=expired"), mta.log());
    assertEquals(List.of(), mta.leftovers());
  }

  @Test
  void expiresByMaximalQueueLifetime(@TempDir Path other) throws Exception {
    TestInstance quick = TestInstance.create(other.resolve("i"), "maximal_queue_lifetime = 1s");
    quick.lock("bob");
    quick.enqueue(QueueState.INCOMING, System.currentTimeMillis() - 2000,
        "alice@example.org", MESSAGE, "bob@example.org");

    quick.run();

    assertTrue(quick.mbox("alice").contains("Status: 5.4.7"), quick.mbox("alice"));
    assertEquals(List.of(), quick.leftovers());
  }

  @Test
  void warnsOnceAboutADelayedMessage(@TempDir Path other) throws Exception {
    TestInstance warn = TestInstance.create(other.resolve("i"), "delay_warning_time = 1s");
    warn.lock("bob");
    warn.enqueue(QueueState.INCOMING, System.currentTimeMillis() - 10_000,
        "alice@example.org", MESSAGE, "bob@example.org");

    warn.run();
    warn.run();

    String notices = warn.mbox("alice");
    assertEquals(1, count(notices, "\nSubject: Delayed Mail (still being retried)\n"), notices);
    assertTrue(notices.contains("Action: delayed"), notices);
    assertEquals(1, warn.list(QueueState.DEFERRED).size(), "the message itself stays queued");
    QueueId id = warn.list(QueueState.DEFERRED).get(0);
    assertTrue(DeliveryStatus.read(warn.queue.statusFile(id)).delayWarned());
  }

  @Test
  void aBackgroundRunLeavesDeferredMailAloneUntilItIsDue() throws Exception {
    Path lock = mta.lock("bob");
    mta.submit(MESSAGE, "bob");
    mta.run();
    QueueId id = mta.list(QueueState.DEFERRED).get(0);
    Files.delete(lock);

    QueueRunner.Report due = mta.system().runQueue(false);

    assertEquals(0, due.attempted(), "minimal_backoff_time has not passed");
    assertEquals(List.of(id), mta.list(QueueState.DEFERRED));
    assertEquals(1, DeliveryStatus.read(mta.queue.statusFile(id)).attempts());
    assertEquals(0, mta.messages("bob"));
  }

  @Test
  void bouncesAMessageThatLoopedTooOften() throws Exception {
    String looped = "Received: by relay (x)\n".repeat(51) + MESSAGE;
    mta.enqueue(QueueState.INCOMING, System.currentTimeMillis(), "alice@example.org", looped,
        "bob@example.org");

    mta.run();

    assertEquals(0, mta.messages("bob"));
    assertTrue(mta.mbox("alice").contains("Status: 5.4.6"), mta.mbox("alice"));
    assertEquals(List.of(), mta.leftovers());
  }

  // Crash tests: the queue as a crash at each step leaves it, then one run.

  @Test
  void recoversAMessageLeftInActive() throws Exception {
    mta.enqueue(QueueState.ACTIVE, System.currentTimeMillis(), "alice@example.org", MESSAGE,
        "bob@example.org");

    mta.run();

    assertEquals(1, mta.messages("bob"));
    assertEquals(List.of(), mta.leftovers());
    assertTrue(mta.log().contains("recovered from active/"), mta.log());
  }

  @Test
  void removesTheTempFilesOfAnExitedWriterAtOnceButNotALiveWritersOne() throws Exception {
    Process writer = new ProcessBuilder("true").start();
    writer.waitFor();
    Path temp = mta.queue.dir(QueueState.INCOMING).resolve(".tmp." + writer.pid() + ".deadbeef");
    Files.write(temp, new byte[] {'V', 1, '1', 'T'});
    Path status = mta.queue.root().resolve("status").resolve(".tmp." + writer.pid() + ".0badcafe");
    Files.write(status, new byte[] {'S'});
    Path writing = mta.queue.dir(QueueState.INCOMING)
        .resolve(".tmp." + ProcessHandle.current().pid() + ".0123abcd");
    Files.write(writing, new byte[] {'V', 1});
    mta.submit(MESSAGE, "bob");

    mta.run();

    assertFalse(Files.exists(temp), "its writer is gone");
    assertFalse(Files.exists(status), "its writer is gone");
    assertTrue(Files.exists(writing), "a live writer's temp file is a write in progress");
    Files.delete(writing);
    assertEquals(1, mta.messages("bob"));
    assertEquals(List.of(), mta.leftovers());
  }

  @Test
  void isolatesACorruptQueueFileAndDeliversTheOthers() throws Exception {
    QueueId bad = QueueId.next();
    Files.write(mta.queue.file(QueueState.INCOMING, bad),
        "not a queue file\n".getBytes(StandardCharsets.US_ASCII));
    mta.enqueue(QueueState.INCOMING, System.currentTimeMillis(), "alice@example.org", MESSAGE,
        "bob@example.org");
    mta.submit(MESSAGE, "carol");

    mta.run();

    assertEquals(List.of(bad), mta.list(QueueState.CORRUPT));
    assertEquals(1, mta.messages("bob"));
    assertEquals(1, mta.messages("carol"));
    assertEquals(List.of(), mta.leftovers());
    assertTrue(mta.log().contains(bad + ": "), mta.log());
  }

  @Test
  void isolatesACorruptMaildropFileAndDeliversTheOthers() throws Exception {
    QueueId bad = QueueId.next();
    Files.write(mta.queue.file(QueueState.MAILDROP, bad), new byte[] {'V', 1, '1'});
    mta.submit(MESSAGE, "bob");

    mta.run();

    assertEquals(List.of(bad), mta.list(QueueState.CORRUPT));
    assertEquals(1, mta.messages("bob"));
    assertEquals(List.of(), mta.leftovers());
  }

  /**
   * Any local user can write into maildrop/. A file that passes the CRC but holds a record
   * the writer never makes (a line break inside a recipient) must go to corrupt/ like any
   * other damaged file, not stop every queue run.
   */
  @Test
  void aForeignMaildropFileWithALineBreakInARecipientDoesNotStopTheQueue() throws Exception {
    QueueId forged = mta.submitAs(null, MESSAGE, new Recipient("bob", "bob#X-Evil: 1", ""));
    Path file = mta.queue.file(QueueState.MAILDROP, forged);
    Files.write(file, withCrc(replace(withoutEnd(Files.readAllBytes(file)), '#', '\n')));
    mta.submit(MESSAGE, "carol");

    try {
      mta.run();
    } catch (RuntimeException e) {
      throw new AssertionError("the queue run died on one foreign maildrop file: " + e, e);
    }

    assertEquals(1, mta.messages("carol"));
    assertEquals(List.of(forged), mta.list(QueueState.CORRUPT));
  }

  @Test
  void picksUpAndDeliversInTheSameRun() throws Exception {
    QueueId dropped = mta.submit(MESSAGE, "bob");
    assertEquals(List.of(dropped), mta.list(QueueState.MAILDROP));

    QueueRunner.Report r = mta.run();

    assertEquals(java.util.Set.of(dropped), r.pickedUp().keySet());
    assertEquals(1, mta.messages("bob"));
    assertEquals(List.of(), mta.leftovers());
  }

  @Test
  void aCrashBetweenTheIncomingWriteAndTheMaildropDeleteDeliversAtLeastOnce(@TempDir Path other)
      throws Exception {
    // Both copies go to one mailbox in one run: let the second wait for the first.
    mta = TestInstance.create(other.resolve("i"), "deliver_lock_attempts = 20",
        "deliver_lock_delay = 1s");
    QueueId dropped = mta.submit(MESSAGE, "bob");
    Path drop = mta.queue.file(QueueState.MAILDROP, dropped);
    byte[] saved = Files.readAllBytes(drop);
    Map<QueueId, QueueId> picked = mta.pickupOnly();
    assertEquals(1, mta.list(QueueState.INCOMING).size());
    assertTrue(picked.containsKey(dropped));
    // The crash: the maildrop file was never removed.
    Files.write(drop, saved);

    mta.run();

    long n = mta.messages("bob");
    assertTrue(n >= 1 && n <= 2, "delivered " + n + " times");
    assertEquals(List.of(), mta.leftovers(), mta.log());
  }

  @Test
  void aDeferredMessageFoundInActiveKeepsItsProgress() throws Exception {
    // A message with two recipients: bob delivered, carol deferred, then the run "dies"
    // after the status write: the file is back in active/.
    Path lock = mta.lock("carol");
    mta.submit(MESSAGE, "bob", "carol");
    mta.run();
    QueueId id = mta.list(QueueState.DEFERRED).get(0);
    mta.queue.move(id, QueueState.DEFERRED, QueueState.ACTIVE);
    Files.delete(lock);

    mta.run();

    assertEquals(1, mta.messages("bob"), "the status file says bob is done");
    assertEquals(1, mta.messages("carol"));
    assertEquals(List.of(), mta.leftovers());
  }

  private static byte[] withoutEnd(byte[] file) {
    return java.util.Arrays.copyOf(file, file.length - 10);
  }

  private static byte[] replace(byte[] b, char from, char to) {
    byte[] out = b.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == from) {
        out[i] = (byte) to;
      }
    }
    return out;
  }

  private static byte[] withCrc(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    byte[] end = String.format("E%08x\n", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
    byte[] out = java.util.Arrays.copyOf(body, body.length + end.length);
    System.arraycopy(end, 0, out, body.length, end.length);
    return out;
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
