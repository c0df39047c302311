package org.postern.engine.pickup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.Config;
import org.postern.engine.global.MailLog;
import org.postern.engine.postdrop.MaildropWriter;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;
import org.postern.maps.passwd.PasswdFile;

/**
 * Pickup against what a local user can put in maildrop/ instead of a submission: a FIFO (an
 * open by name would block the daemon's queue run until someone opens it), a symbolic link
 * and a hard link. Each is removed with a warning and the real submissions go through.
 */
class PickupHostileFileTest {
  private static final byte[] MESSAGE = "Subject: s\n\nbody\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path root;
  private QueueDirectory queue;
  private Pickup pickup;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(root.resolve("main.cf"),
        "myhostname = mail.example.org\nmyorigin = example.org\ntrusted_users = root\n");
    Path users = root.resolve("users");
    Files.writeString(users, "carol:x:1234:100:Carol:/home/carol:/bin/sh\n");
    queue = new QueueDirectory(root.resolve("queue"));
    queue.create();
    Clock clock = Clock.systemDefaultZone();
    pickup = new Pickup(queue, new Cleanup(Config.load(root), PasswdFile.load(users), clock),
        MailLog.to(new PrintStream(log, true, StandardCharsets.UTF_8), "pickup"), clock);
  }

  private QueueId submit() throws Exception {
    Envelope env = new Envelope(System.currentTimeMillis(), 1234, "carol", "carol",
        List.of(new Recipient("dave@example.org")), Map.of());
    return new MaildropWriter(queue).write(env, MESSAGE);
  }

  private String logged() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void removesAFifoInsteadOfBlockingOnIt() throws Exception {
    Path fifo = queue.file(QueueState.MAILDROP, QueueId.unguessable());
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor());
    submit();

    Map<QueueId, QueueId> picked = pickup.run();

    assertEquals(1, picked.size(), "the real submission goes through");
    assertFalse(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
    assertTrue(logged().contains("maildrop " + fifo.getFileName()
        + ": not a regular file: removed"), logged());
  }

  @Test
  void removesASymbolicLinkAndLeavesItsTargetAlone() throws Exception {
    Path target = root.resolve("someone-elses");
    QueueId real = submit();
    Files.move(queue.file(QueueState.MAILDROP, real), target);
    Path link = queue.file(QueueState.MAILDROP, QueueId.unguessable());
    Files.createSymbolicLink(link, target);

    assertEquals(Map.of(), pickup.run());

    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(target));
    assertTrue(logged().contains(": not a regular file: removed"), logged());
  }

  @Test
  void removesAHardLinkToAnotherFile() throws Exception {
    Path target = root.resolve("someone-elses");
    QueueId real = submit();
    Files.move(queue.file(QueueState.MAILDROP, real), target);
    Path link = queue.file(QueueState.MAILDROP, QueueId.unguessable());
    Files.createLink(link, target);

    assertEquals(Map.of(), pickup.run());

    assertFalse(Files.exists(link));
    assertTrue(Files.exists(target));
    assertTrue(logged().contains(": 2 links: removed"), logged());
  }
}
