package org.postern.engine.local.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postern.engine.local.mbox.MboxFixtures.CLOCK;
import static org.postern.engine.local.mbox.MboxFixtures.FROM_LINE;
import static org.postern.engine.local.mbox.MboxFixtures.PREPENDED;
import static org.postern.engine.local.mbox.MboxFixtures.fastSettings;
import static org.postern.engine.local.mbox.MboxFixtures.message;
import static org.postern.engine.local.mbox.MboxFixtures.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.mbox.MboxFixtures.CapturedLog;

class MailboxLockTest {
  @TempDir Path dir;
  private Path mailbox;
  private Path dotlock;
  private MailboxOwner me;
  private final CapturedLog log = new CapturedLog();
  private MboxAppender appender;

  @BeforeEach
  void setUp() throws IOException {
    mailbox = dir.resolve("bob");
    dotlock = dir.resolve("bob.lock");
    me = new MailboxOwner((Integer) Files.getAttribute(dir, "unix:uid"),
        (Integer) Files.getAttribute(dir, "unix:gid"), false);
    appender = new MboxAppender(fastSettings(), log.log, CLOCK);
  }

  @Test
  void defersWhenMailboxLockTimesOut() throws Exception {
    Files.writeString(mailbox, "");
    Files.createFile(dotlock);
    long start = System.nanoTime();

    TempFailException e =
        assertThrows(
            TempFailException.class, () -> appender.append(mailbox, me, message("Subject: x\n")));

    long waited = System.nanoTime() - start;
    assertEquals("4.2.0", e.status().code());
    assertTrue(e.getMessage().startsWith("unable to lock mailbox"), e.getMessage());
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(5 * 20), "waited " + waited + " ns");
    assertTrue(Files.exists(dotlock), "someone else's dotlock must stay");
    assertEquals(0, Files.size(mailbox));
  }

  @Test
  void theDotlockAppearsWithOurPidAndLeavesNothingBehind() throws Exception {
    try (MailboxLock lock = MailboxLock.acquire(mailbox, fastSettings(), false, log.log)) {
      // Linked into place already written: never seen empty, even after a kill.
      assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dotlock));
      try (var names = Files.list(dir)) {
        assertEquals(List.of("bob.lock"), names.map(p -> p.getFileName().toString()).toList());
      }
    }
    try (var names = Files.list(dir)) {
      assertEquals(List.of(), names.toList());
    }
  }

  @Test
  void removesStaleDotlockAndDelivers() throws Exception {
    Files.createFile(dotlock);
    Files.setLastModifiedTime(dotlock, FileTime.from(Instant.now().minusSeconds(1000)));

    appender.append(mailbox, me, message("Subject: x\n\nx\n"));

    assertEquals(FROM_LINE + PREPENDED + "Subject: x\n\nx\n\n", read(mailbox));
    assertFalse(Files.exists(dotlock));
    assertTrue(log.text().contains("warning: removed stale lock file"), log.text());
  }

  @Test
  void waitsForDotlockReleasedWithinTheLockDelay() throws Exception {
    Files.createFile(dotlock);
    MboxSettings patient =
        new MboxSettings(
            2, Duration.ofSeconds(2), Duration.ofSeconds(500), 0, true, FromStyle.POSTFIX);
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
                Files.delete(dotlock);
              } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
              }
            });
    releaser.start();
    long start = System.nanoTime();

    new MboxAppender(patient, log.log, CLOCK).append(mailbox, me, message("Subject: x\n"));

    releaser.join();
    long waited = System.nanoTime() - start;
    // Sleeping a whole lock delay (2 s) between tries would take at least that long.
    assertTrue(waited < TimeUnit.MILLISECONDS.toNanos(1500), "polled too coarsely: " + waited);
    assertTrue(read(mailbox).startsWith(FROM_LINE));
  }

  @Test
  void removesItsDotlockAfterDelivery() throws Exception {
    appender.append(mailbox, me, message("Subject: x\n"));

    assertFalse(Files.exists(dotlock));
  }

  @Test
  void defersWhileAnotherProcessHoldsTheFcntlLock() throws Exception {
    Files.writeString(mailbox, "");
    Process holder = lockWithPython(mailbox);
    try {
      TempFailException e =
          assertThrows(
              TempFailException.class,
              () -> appender.append(mailbox, me, message("Subject: x\n")));

      assertEquals("4.2.0", e.status().code());
      assertEquals(0, Files.size(mailbox));
      assertFalse(Files.exists(dotlock), "our dotlock must be removed after failing");
    } finally {
      holder.destroy();
      holder.waitFor();
    }
    appender.append(mailbox, me, message("Subject: x\n"));
    assertTrue(read(mailbox).startsWith(FROM_LINE));
  }

  @Test
  void parallelDeliveriesToOneMailboxNeverInterleave() throws Exception {
    int threads = 8;
    int perThread = 50;
    // Bodies larger than the copy buffer, so each append takes several writes.
    String filler = "From a line that must be quoted\n" + "z".repeat(70) + "\n";
    String body = filler.repeat(800);
    // Postfix's real waits: 8 threads queue behind each other for the in-process permit.
    MboxAppender shared = new MboxAppender(MboxSettings.defaults(), log.log, CLOCK);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> results = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        String content = "Subject: " + t + "/" + i + "\n\n" + body;
        expected.add(FROM_LINE + PREPENDED + content.replace("\nFrom ", "\n>From ") + "\n");
      }
      int thread = t;
      results.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  String content = "Subject: " + thread + "/" + i + "\n\n" + body;
                  shared.append(mailbox, me, message(content));
                }
                return null;
              }));
    }
    for (Future<?> f : results) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    String text = read(mailbox);
    String[] entries = text.split("(?m)^(?=From alice@example\\.org  )");
    assertEquals(threads * perThread, entries.length);
    Set<String> found = new HashSet<>(List.of(entries));
    assertEquals(expected, found);
  }

  /** Holds an fcntl (POSIX) lock on {@code file} from another process until destroyed. */
  private static Process lockWithPython(Path file) throws IOException {
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import fcntl,sys,time\n"
                    + "f=open(sys.argv[1],'a')\n"
                    + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
                    + "print('locked',flush=True)\n"
                    + "time.sleep(60)\n",
                file.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("locked", out.readLine());
    return p;
  }
}
