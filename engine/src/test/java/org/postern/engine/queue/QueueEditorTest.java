package org.postern.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.QueueEditor.Result;

class QueueEditorTest {
  @TempDir Path tmp;
  private QueueDirectory queue;
  private QueueEditor editor;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  private static final QueueId A = new QueueId("0SCK3E20000A0001");

  @BeforeEach
  void setUp() throws IOException {
    queue = new QueueDirectory(tmp.resolve("queue"));
    queue.create();
    editor = new QueueEditor(queue,
        MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "postsuper"));
  }

  private void put(QueueState state) throws IOException {
    QueueFileWriter.write(queue.file(state, A), QueueDirectory.FILE_MODE,
        new Envelope(1, 1, "u", "u@h", List.of(new Recipient("r@h")), Map.of()),
        out -> out.write('x'));
  }

  private DeliveryStatus deferredTwice() throws IOException {
    DeliveryStatus s = DeliveryStatus.fresh()
        .with(0, new DeliveryStatus.Entry(DeliveryStatus.Result.DEFERRED,
            new DsnStatus("4.4.1", "no route"), 5))
        .withAttempt(99_000).withAttempt(99_000);
    s.write(queue.statusFile(A));
    return s;
  }

  private String log() {
    return logged.toString(StandardCharsets.UTF_8);
  }

  @Test
  void holdMovesADeferredMessageToHoldAndLogsIt() throws Exception {
    put(QueueState.DEFERRED);

    assertEquals(Result.DONE, editor.hold(A));

    assertEquals(Optional.of(QueueState.HOLD), queue.locate(A));
    assertTrue(log().contains("postern/postsuper["), log());
    assertTrue(log().endsWith(": " + A + ": placed on hold\n"), log());
  }

  @Test
  void holdLeavesAMessageInActiveAlone() throws Exception {
    put(QueueState.ACTIVE);

    assertEquals(Result.BUSY, editor.hold(A));
    assertEquals(Result.BUSY, editor.remove(A));

    assertEquals(Optional.of(QueueState.ACTIVE), queue.locate(A));
    assertEquals("", log());
  }

  @Test
  void holdOfAHeldMessageChangesNothing() throws Exception {
    put(QueueState.HOLD);

    assertEquals(Result.UNCHANGED, editor.hold(A));
    assertEquals(Optional.of(QueueState.HOLD), queue.locate(A));
  }

  @Test
  void holdRefusesAMaildropFileThatWasNotPickedUp() throws Exception {
    put(QueueState.MAILDROP);

    assertEquals(Result.WAITING, editor.hold(A));
    assertEquals(Optional.of(QueueState.MAILDROP), queue.locate(A));
  }

  @Test
  void releaseMovesToDeferredAndMakesItDueKeepingTheAttemptCount() throws Exception {
    put(QueueState.HOLD);
    deferredTwice();

    assertEquals(Result.DONE, editor.release(A));

    assertEquals(Optional.of(QueueState.DEFERRED), queue.locate(A));
    DeliveryStatus s = DeliveryStatus.read(queue.statusFile(A));
    assertEquals(0, s.nextAttemptMillis());
    assertEquals(2, s.attempts());
    assertTrue(log().endsWith(": " + A + ": released from hold\n"), log());
  }

  @Test
  void releaseOfAMessageNotHeldChangesNothing() throws Exception {
    put(QueueState.DEFERRED);

    assertEquals(Result.UNCHANGED, editor.release(A));
    assertEquals(Optional.of(QueueState.DEFERRED), queue.locate(A));
  }

  @Test
  void removeDeletesTheQueueFileAndItsStatusFile() throws Exception {
    put(QueueState.DEFERRED);
    deferredTwice();

    assertEquals(Result.DONE, editor.remove(A));

    assertEquals(Optional.empty(), queue.locate(A));
    assertFalse(Files.exists(queue.statusFile(A)));
    assertTrue(log().endsWith(": " + A + ": removed\n"), log());
  }

  @Test
  void unknownMessagesAreMissing() throws Exception {
    assertEquals(Result.MISSING, editor.hold(A));
    assertEquals(Result.MISSING, editor.release(A));
    assertEquals(Result.MISSING, editor.remove(A));
    assertEquals(Result.MISSING, editor.makeDue(A, true));
  }

  @Test
  void requeueForgetsTheBackoffAndKeepsRecipientResults() throws Exception {
    put(QueueState.DEFERRED);
    DeliveryStatus before = deferredTwice();

    assertEquals(Result.DONE, editor.makeDue(A, true));

    assertEquals(Optional.of(QueueState.DEFERRED), queue.locate(A));
    DeliveryStatus s = DeliveryStatus.read(queue.statusFile(A));
    assertEquals(0, s.attempts());
    assertEquals(0, s.nextAttemptMillis());
    assertEquals(before.recipients(), s.recipients());
    assertTrue(log().endsWith(": " + A + ": requeued\n"), log());
  }

  @Test
  void makeDueWithoutForgettingKeepsTheAttemptsAndLogsNothing() throws Exception {
    put(QueueState.DEFERRED);
    deferredTwice();

    assertEquals(Result.DONE, editor.makeDue(A, false));

    DeliveryStatus s = DeliveryStatus.read(queue.statusFile(A));
    assertEquals(2, s.attempts());
    assertEquals(0, s.nextAttemptMillis());
    assertEquals("", log());
  }

  @Test
  void requeueLeavesAHeldMessageHeld() throws Exception {
    put(QueueState.HOLD);

    assertEquals(Result.UNCHANGED, editor.makeDue(A, true));
    assertEquals(Optional.of(QueueState.HOLD), queue.locate(A));
  }
}
