package org.postern.engine.showq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.DeliveryStatus.Entry;
import org.postern.engine.queue.DeliveryStatus.Result;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

class QueueScannerTest {
  private static final QueueId A = new QueueId("0SCK3E20000A0001");
  private static final QueueId B = new QueueId("0SCK3E20000B0002");

  @TempDir Path tmp;
  private QueueDirectory queue;
  private QueueScanner scanner;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    queue = new QueueDirectory(tmp.resolve("queue"));
    queue.create();
    scanner = new QueueScanner(queue,
        MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "showq"));
  }

  private void put(QueueState state, QueueId id, long arrival, String content,
      String... rcpts) throws IOException {
    List<Recipient> r = Arrays.stream(rcpts).map(Recipient::new).toList();
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    QueueFileWriter.write(queue.file(state, id), QueueDirectory.FILE_MODE,
        new Envelope(arrival, 42, "alice", "alice@h", r, Map.of("body", "8BITMIME")),
        out -> out.write(bytes));
  }

  @Test
  void reportsSizesPrecedenceAndTheRecipientsStillPending() throws Exception {
    put(QueueState.DEFERRED, A, 1000, "Subject: x\nPRECEDENCE:  Bulk \n\nbody\n",
        "a@h", "b@h", "c@h");
    new DeliveryStatus(3, 5000, true, Map.of(
        0, new Entry(Result.DEFERRED, new DsnStatus("4.4.1", "older"), 10),
        1, new Entry(Result.DELIVERED, new DsnStatus("2.0.0", "ok"), 20),
        2, new Entry(Result.DEFERRED, new DsnStatus("4.2.0", "newest"), 30)), Map.of())
        .write(queue.statusFile(A));

    QueueEntry e = scanner.scan().get(0);

    assertEquals(36, e.size());
    assertEquals(5, e.bodySize());
    assertEquals("bulk", e.precedence());
    assertEquals("8BITMIME", e.bodyType());
    assertEquals(42, e.uid());
    assertEquals(3, e.recipientCount());
    assertEquals(List.of(new QueueEntry.Pending("a@h", Optional.of("older")),
        new QueueEntry.Pending("c@h", Optional.of("newest"))), e.pending());
    assertEquals(Optional.of("newest"), e.lastReason());
    assertEquals(3, e.attempts());
    assertTrue(e.delayWarned());
    assertTrue(e.waitsForRetry(4999));
  }

  @Test
  void listsInArrivalOrderAndSkipsDamagedFilesWithAWarning() throws Exception {
    put(QueueState.HOLD, A, 2000, "Subject: a\n\n", "a@h");
    put(QueueState.INCOMING, B, 1000, "no header end", "b@h");
    Files.writeString(queue.file(QueueState.DEFERRED, new QueueId("0SCK3E20000C0003")), "junk");

    List<QueueEntry> all = scanner.scan();

    assertEquals(List.of(B, A), all.stream().map(QueueEntry::id).toList());
    assertEquals(0, all.get(0).bodySize(), "a message without a blank line is all header");
    assertTrue(logged.toString(StandardCharsets.UTF_8).contains("skipped in listing"));
  }

  @Test
  void findsOneMessageWhereverItIs() throws Exception {
    put(QueueState.HOLD, A, 2000, "Subject: a\n\n", "a@h");

    assertEquals(QueueState.HOLD, scanner.find(A).orElseThrow().state());
    assertEquals(Optional.empty(), scanner.find(B));
  }

  @Test
  void listsAMessageFromItsEnvelopeWithoutCheckingItsBodyAndSkipsATruncatedOne()
      throws Exception {
    put(QueueState.DEFERRED, A, 1000, "Subject: a\n\nbody\n", "a@h");
    put(QueueState.DEFERRED, B, 2000, "Subject: b\n\nbody\n", "b@h");
    Path damaged = queue.file(QueueState.DEFERRED, A);
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[bytes.length - 13] ^= 0x01; // the body: found by the queue run, not by a listing
    Files.write(damaged, bytes);
    Path truncated = queue.file(QueueState.DEFERRED, B);
    Files.write(truncated, Arrays.copyOf(Files.readAllBytes(truncated), 30));

    assertEquals(List.of(A), scanner.scan().stream().map(QueueEntry::id).toList());
    assertTrue(logged.toString(StandardCharsets.UTF_8)
        .contains("deferred/" + B + ": skipped in listing"), logged.toString());
  }

  @Test
  void aRememberingScannerListsTheQueueAsItIsWhenAsked() throws Exception {
    QueueScanner daemon = QueueScanner.remembering(queue,
        MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "showq"));
    put(QueueState.INCOMING, A, 1000, "Subject: a\n\n", "a@h");
    assertEquals(Optional.empty(), daemon.scan().get(0).lastReason());

    // A delivery attempt replaces the status; the queue run moves the file.
    deferral(A, "busy");
    Files.move(queue.file(QueueState.INCOMING, A), queue.file(QueueState.DEFERRED, A));
    put(QueueState.HOLD, B, 2000, "Subject: b\n\n", "b@h");
    List<QueueEntry> now = daemon.scan();

    assertEquals(List.of(A, B), now.stream().map(QueueEntry::id).toList());
    assertEquals(QueueState.DEFERRED, now.get(0).state());
    assertEquals(Optional.of("busy"), now.get(0).lastReason());

    Files.delete(queue.file(QueueState.DEFERRED, A));
    Files.delete(queue.statusFile(A));
    assertEquals(List.of(B), daemon.scan().stream().map(QueueEntry::id).toList());
  }

  @Test
  void aRememberingScannerTrustsAQuietStatusDirectoryAndRereadsItWhenAStatusIsReplaced()
      throws Exception {
    QueueScanner daemon = QueueScanner.remembering(queue, MailLog.to(System.err, "showq"));
    put(QueueState.DEFERRED, A, 1000, "Subject: a\n\n", "a@h");
    deferral(A, "first");
    Path statusDir = queue.statusDir();
    Files.setLastModifiedTime(statusDir,
        FileTime.fromMillis(System.currentTimeMillis() - 60_000)); // quiet for a minute
    daemon.scan(); // checks every status against its file: status/ is trusted from now on

    // Written in place (which nothing in Postern does): status/ does not change, memory holds.
    Files.writeString(queue.statusFile(A), "garbage");
    assertEquals(Optional.of("first"), daemon.scan().get(0).lastReason());

    deferral(A, "second"); // replaced by a rename, as DurableFiles does: status/ changes
    assertEquals(Optional.of("second"), daemon.scan().get(0).lastReason());
  }

  private void deferral(QueueId id, String reason) throws IOException {
    new DeliveryStatus(1, 5000, false, Map.of(
        0, new Entry(Result.DEFERRED, new DsnStatus("4.4.1", reason), 10)), Map.of())
        .write(queue.statusFile(id));
  }
}
