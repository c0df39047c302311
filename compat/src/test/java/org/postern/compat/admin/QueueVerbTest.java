package org.postern.compat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.compat.mailq.QueueFixture;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.DeliveryStatus.Result;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

class QueueVerbTest {
  private static final String OLD = "0TP1A00000000001";
  private static final String NEW = "0TP1A00000000002";
  private static final String BUSY = "0TP1A00000000003";
  private static final String HELD = "0TP1A00000000004";

  @TempDir Path tmp;
  private QueueFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = QueueFixture.create(tmp);
    f.message(OLD, QueueState.DEFERRED).arrived(60 * 26).from("alice@example.org")
        .to("far@example.com").result(0, Result.DEFERRED, "4.4.1", "no route", 30)
        .attempt(30).attempt(60).write();
    f.message(NEW, QueueState.INCOMING).arrived(5).from("bob@example.org")
        .to("carol@example.net").write();
    f.message(BUSY, QueueState.ACTIVE).arrived(2).from("alice@example.org")
        .to("dave@example.com").write();
    f.message(HELD, QueueState.HOLD).arrived(60 * 48).from("Alice@Example.org")
        .to("x@example.com").write();
  }

  private CommandRun queue(String stdin, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      Invocation inv = new Invocation(in, o, e, tmp);
      try {
        exit = new QueueVerb(QueueFixture.CLOCK).run(inv, List.of(args));
      } catch (UsageException u) {
        e.println("usage: " + u.getMessage());
        exit = 64;
      }
    }
    return new CommandRun(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private Optional<QueueState> where(String id) throws Exception {
    return f.queue.locate(new QueueId(id));
  }

  private String maillog() throws Exception {
    Path log = tmp.resolve("maillog");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  void holdReadsQueueIdsFromStdinWithDash() throws Exception {
    CommandRun r = queue(OLD + "\n\n  " + NEW + "  \n", "hold", "-");

    assertEquals(new CommandRun(0, OLD + ": placed on hold\n" + NEW + ": placed on hold\n", ""),
        r);
    assertEquals(Optional.of(QueueState.HOLD), where(OLD));
    assertEquals(Optional.of(QueueState.HOLD), where(NEW));
    assertTrue(maillog().contains("postern/postsuper["), maillog());
  }

  @Test
  void deleteRemovesFileAndStatusAndReportsUnknownIdsWithExit1() throws Exception {
    CommandRun r = queue("", "delete", OLD, "0TP1ZZZZZZZZZZZZ", "../../etc/passwd");

    assertEquals(1, r.exit());
    assertEquals(OLD + ": removed\n", r.out());
    assertEquals("postern: queue: 0TP1ZZZZZZZZZZZZ: no such message\n"
        + "postern: queue: ../../etc/passwd: no such message\n", r.err());
    assertEquals(Optional.empty(), where(OLD));
    assertFalse(Files.exists(f.queue.statusFile(new QueueId(OLD))));
    assertTrue(maillog().contains(": " + OLD + ": removed\n"), maillog());
  }

  @Test
  void aMessageBeingDeliveredIsNotTouched() throws Exception {
    CommandRun r = queue("", "delete", BUSY);

    assertEquals(new CommandRun(75, "",
        "postern: queue: " + BUSY + ": being delivered, try again\n"), r);
    assertEquals(Optional.of(QueueState.ACTIVE), where(BUSY));
  }

  @Test
  void dryRunPrintsWhatWouldBeDoneAndChangesNothing() throws Exception {
    CommandRun r = queue("", "delete", "--dry-run", "--to", "EXAMPLE.COM", "ALL");

    // Whole-queue selections go in arrival order: HELD is the oldest.
    assertEquals(new CommandRun(75, HELD + ": would be removed\n" + OLD + ": would be removed\n",
        "postern: queue: " + BUSY + ": being delivered, try again\n"), r);
    assertEquals(Optional.of(QueueState.DEFERRED), where(OLD));
    assertEquals(Optional.of(QueueState.HOLD), where(HELD));
    assertEquals("", maillog());
  }

  @Test
  void filtersAloneSelectFromTheWholeQueueAndAreAnded() throws Exception {
    CommandRun r = queue("", "hold", "--from", "alice@EXAMPLE", "--older-than", "1d");

    assertEquals(new CommandRun(0, HELD + ": already on hold\n" + OLD + ": placed on hold\n",
        ""), r);
    assertEquals(Optional.of(QueueState.INCOMING), where(NEW));
    assertEquals(Optional.of(QueueState.ACTIVE), where(BUSY));
  }

  @Test
  void filtersNarrowTheIdsGiven() throws Exception {
    CommandRun r = queue("", "hold", "--from", "bob", OLD, NEW);

    assertEquals(new CommandRun(0, NEW + ": placed on hold\n", ""), r);
    assertEquals(Optional.of(QueueState.DEFERRED), where(OLD));
  }

  @Test
  void releaseMakesAHeldMessageDeferredAndDue() throws Exception {
    CommandRun r = queue("", "release", HELD, OLD);

    assertEquals(new CommandRun(0, HELD + ": released from hold\n" + OLD + ": not on hold\n",
        ""), r);
    assertEquals(Optional.of(QueueState.DEFERRED), where(HELD));
  }

  @Test
  void requeueForgetsTheBackoff() throws Exception {
    CommandRun r = queue("", "requeue", OLD, HELD);

    assertEquals(new CommandRun(0, OLD + ": requeued\n" + HELD + ": on hold, not requeued\n",
        ""), r);
    DeliveryStatus s = DeliveryStatus.read(f.queue.statusFile(new QueueId(OLD)));
    assertEquals(0, s.attempts());
    assertEquals(0, s.nextAttemptMillis());
    assertEquals(Optional.of(QueueState.DEFERRED), where(OLD));
  }

  @Test
  void badUsageIsExit64() throws Exception {
    assertEquals(64, queue("", "hold").exit());
    assertEquals(64, queue("", "frobnicate").exit());
    assertEquals(64, queue("", "delete", "--older-than", "5x", "ALL").exit());
    assertEquals(64, queue("", "list", "--dry-run").exit());
    assertEquals(64, queue("", "show").exit());
    assertEquals(Optional.of(QueueState.DEFERRED), where(OLD));
  }

  @Test
  void jsonListsOnePostqueueObjectPerLine() throws Exception {
    CommandRun r = queue("", "--json", "--from", "bob");

    assertEquals(new CommandRun(0, "{\"queue_name\": \"incoming\", \"queue_id\": \"" + NEW
        + "\", \"arrival_time\": 1795575300, \"message_size\": 21, \"forced_expire\": false,"
        + " \"sender\": \"bob@example.org\", \"recipients\": [{\"address\":"
        + " \"carol@example.net\"}]}\n", ""), r);
    assertEquals(r, queue("", "list", "--json", "--from", "bob"));
  }

  @Test
  void showPrintsEnvelopeStatusAndContent() throws Exception {
    CommandRun r = queue("", "show", OLD);

    assertEquals(new CommandRun(0, """
        *** ENVELOPE RECORDS deferred/0TP1A00000000001 ***
        message_arrival_time: Tue Nov 24 01:00:00 2026
        uid: %d
        login: alice
        sender: alice@example.org
        recipient: far@example.com
        *** DELIVERY STATUS deferred/0TP1A00000000001 ***
        attempts: 2
        next_attempt: Wed Nov 25 04:00:00 2026
        delay_warning_sent: no
        recipient: far@example.com: deferred 4.4.1 no route (Wed Nov 25 02:30:00 2026)
        *** MESSAGE CONTENTS deferred/0TP1A00000000001 ***
        Subject: test

        hello
        *** MESSAGE FILE END deferred/0TP1A00000000001 ***
        """.formatted(f.me), ""), r);
  }

  @Test
  void showOfAnUnknownIdExits1() throws Exception {
    assertEquals(new CommandRun(1, "", "postern: queue: 0TP1ZZZZZZZZZZZZ: no such message\n"),
        queue("", "show", "0TP1ZZZZZZZZZZZZ"));
  }
}
