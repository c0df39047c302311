package org.postern.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.queue.DeliveryStatus.Entry;
import org.postern.engine.queue.DeliveryStatus.Result;

class DeliveryStatusTest {
  @TempDir Path dir;

  private static DeliveryStatus sample() {
    return DeliveryStatus.fresh()
        .with(0, new Entry(Result.DELIVERED, new DsnStatus("2.0.0", "delivered to mailbox"), 11))
        .with(2, new Entry(Result.DEFERRED,
            new DsnStatus("4.2.0", "unable to lock mailbox /m/bob: lock file exists"), 12))
        .with(5, new Entry(Result.BOUNCED, new DsnStatus("5.1.1", "unknown user: \"x y\""), 13))
        .withAttempt(1_764_039_374_000L)
        .withDelayWarned();
  }

  @Test
  void readsBackWhatItWrote() throws IOException {
    Path file = dir.resolve("ID");
    DeliveryStatus status = sample();

    status.write(file);

    assertEquals(status, DeliveryStatus.read(file));
  }

  @Test
  void aMissingFileMeansNoAttemptYet() throws IOException {
    DeliveryStatus s = DeliveryStatus.read(dir.resolve("absent"));

    assertEquals(DeliveryStatus.fresh(), s);
    assertEquals(0, s.attempts());
    assertTrue(s.isPending(0));
  }

  @Test
  void onlyDeferredOrUntouchedRecipientsArePending() {
    DeliveryStatus s = sample();

    assertFalse(s.isPending(0), "delivered");
    assertTrue(s.isPending(1), "never tried");
    assertTrue(s.isPending(2), "deferred");
    assertFalse(s.isPending(5), "bounced");
  }

  @Test
  void countsAttemptsAndKeepsTheNextAttemptTime() throws IOException {
    Path file = dir.resolve("ID");
    DeliveryStatus.fresh().withAttempt(100).withAttempt(200).write(file);

    DeliveryStatus s = DeliveryStatus.read(file);

    assertEquals(2, s.attempts());
    assertEquals(200, s.nextAttemptMillis());
    assertFalse(s.delayWarned());
  }

  @Test
  void aLineBreakInAReasonStaysOneLine() throws IOException {
    Path file = dir.resolve("ID");
    DeliveryStatus.fresh()
        .with(0, new Entry(Result.DEFERRED, new DsnStatus("4.3.0", "two\nlines"), 1))
        .write(file);

    assertEquals("two lines", DeliveryStatus.read(file).recipients().get(0).status().text());
  }

  @Test
  void aFileWithoutItsEndLineIsCorrupt() throws IOException {
    Path file = dir.resolve("ID");
    sample().write(file);
    String text = Files.readString(file);

    Files.writeString(file, text.substring(0, text.length() - "end\n".length()));

    assertThrows(CorruptQueueFileException.class, () -> DeliveryStatus.read(file));
  }

  @Test
  void everyTruncationIsCorrupt() throws IOException {
    Path file = dir.resolve("ID");
    sample().write(file);
    byte[] whole = Files.readAllBytes(file);
    Path cut = dir.resolve("cut");
    for (int len = 0; len < whole.length; len++) {
      Files.write(cut, java.util.Arrays.copyOf(whole, len));
      assertCorrupt(cut, "prefix of " + len + " bytes");
    }
  }

  /**
   * A reason that happens to end in "end" must not make a truncated file look complete: the end
   * record is a line of its own. Otherwise the recipients after the cut are silently forgotten
   * (and, at best, delivered again).
   */
  @Test
  void aTruncationAfterAReasonEndingInEndIsCorrupt() throws IOException {
    Path file = dir.resolve("ID");
    DeliveryStatus.fresh()
        .with(0, new Entry(Result.DEFERRED, new DsnStatus("4.3.0", "cannot reach the backend"), 1))
        .with(1, new Entry(Result.DELIVERED, new DsnStatus("2.0.0", "delivered to mailbox"), 2))
        .write(file);
    String text = Files.readString(file);
    int cut = text.indexOf("backend\n") + "backend\n".length();

    Files.writeString(file, text.substring(0, cut));

    assertCorrupt(file, "truncated after \"...backend\"");
  }

  @Test
  void damagedLinesAreCorrupt() throws IOException {
    String[] bad = {
      "attempts x\nend\n",
      "attempts\nend\n",
      "next 12z\nend\n",
      "rcpt 0 DELIVERED 2.0.0\nend\n",
      "rcpt 0 LOST 2.0.0 1 text\nend\n",
      "rcpt 0 DELIVERED 9.9 1 text\nend\n",
      "rcpt zero DELIVERED 2.0.0 1 text\nend\n",
      "frobnicate 1\nend\n",
      "\nend\n",
      "garbage",
    };
    Path file = dir.resolve("ID");
    for (String text : bad) {
      Files.write(file, text.getBytes(StandardCharsets.UTF_8));
      assertCorrupt(file, text.replace("\n", "\\n"));
    }
  }

  @Test
  void recipientsAreKeptByIndex() throws IOException {
    Path file = dir.resolve("ID");
    sample().write(file);

    Map<Integer, Entry> r = DeliveryStatus.read(file).recipients();

    assertEquals(java.util.List.of(0, 2, 5), java.util.List.copyOf(r.keySet()));
    assertEquals(Result.BOUNCED, r.get(5).result());
    assertEquals("5.1.1", r.get(5).status().code());
    assertEquals("unknown user: \"x y\"", r.get(5).status().text());
    assertEquals(13, r.get(5).whenMillis());
  }

  private static void assertCorrupt(Path file, String what) {
    try {
      DeliveryStatus s = DeliveryStatus.read(file);
      fail(what + ": accepted as " + s);
    } catch (CorruptQueueFileException expected) {
      // detected, as it must be
    } catch (IOException | RuntimeException e) {
      fail(what + ": " + e, e);
    }
  }
}
