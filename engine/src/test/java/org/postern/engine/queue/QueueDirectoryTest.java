package org.postern.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueDirectoryTest {
  @TempDir Path tmp;
  private QueueDirectory queue;

  private static final QueueId A = new QueueId("0SCK3E20000A0001");
  private static final QueueId B = new QueueId("0SCK3E20000B0002");
  private static final QueueId C = new QueueId("0SCK3E30000C0003");

  @BeforeEach
  void setUp() throws IOException {
    queue = new QueueDirectory(tmp.resolve("queue"));
    queue.create();
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
  }

  private Path put(QueueState state, QueueId id) throws IOException {
    Path file = queue.file(state, id);
    QueueFileWriter.write(file, QueueDirectory.FILE_MODE,
        new Envelope(1, 1, "u", "u@h", List.of(new Recipient("r@h")), Map.of()),
        out -> out.write('x'));
    return file;
  }

  @Test
  void createsEveryStateDirectoryWithItsMode() throws IOException {
    assertEquals(01733, mode(queue.dir(QueueState.MAILDROP)), "maildrop rwx-wx-wt");
    for (QueueState s : List.of(QueueState.INCOMING, QueueState.ACTIVE, QueueState.DEFERRED,
        QueueState.HOLD, QueueState.CORRUPT)) {
      assertEquals(0700, mode(queue.dir(s)), s.dirName());
    }
    assertEquals(0700, mode(queue.root().resolve("status")));
  }

  @Test
  void createIsRepeatableAndRestoresModes() throws IOException {
    put(QueueState.INCOMING, A);
    Files.setAttribute(queue.dir(QueueState.MAILDROP), "unix:mode", 0755);

    queue.create();

    assertEquals(01733, mode(queue.dir(QueueState.MAILDROP)));
    assertEquals(List.of(A), queue.list(QueueState.INCOMING), "existing files are kept");
  }

  @Test
  void modeTextBecomesTheNumericMode() {
    assertEquals(01733, QueueDirectory.mode("rwx-wx-wt"));
    assertEquals(0700, QueueDirectory.mode("rwx------"));
    assertEquals(01644, QueueDirectory.mode("rw-r--r-T"));
    assertEquals(04755, QueueDirectory.mode("rwsr-xr-x"));
    assertEquals(02750, QueueDirectory.mode("rwxr-s---"));
  }

  @Test
  void listsOnlyQueueIdsOldestFirst() throws IOException {
    put(QueueState.INCOMING, C);
    put(QueueState.INCOMING, A);
    put(QueueState.INCOMING, B);
    Path in = queue.dir(QueueState.INCOMING);
    Files.writeString(in.resolve(".tmp.123.abcdef"), "half");
    Files.writeString(in.resolve("README"), "stray");
    Files.writeString(in.resolve("0sck3e20000a0001"), "lower case");
    Files.writeString(in.resolve("0SCK3E20000A000"), "15 characters");
    Files.writeString(in.resolve("0SCK3E20000A00011"), "17 characters");
    Files.createDirectory(in.resolve("sub"));

    assertEquals(List.of(A, B, C), queue.list(QueueState.INCOMING));
  }

  /** The pid of a process that has ended (its number is free until the kernel wraps). */
  private static long deadPid() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private Path temp(String name, long modifiedMillis) throws IOException {
    Path temp = queue.dir(QueueState.INCOMING).resolve(name);
    Files.writeString(temp, "half");
    Files.setLastModifiedTime(temp, FileTime.fromMillis(modifiedMillis));
    return temp;
  }

  @Test
  void reapsATempFileOfAnExitedWriterAtOnce() throws Exception {
    long now = System.currentTimeMillis();
    Path dead = temp(".tmp." + deadPid() + ".abcdef", now);

    assertEquals(List.of(dead), queue.staleTempFiles(QueueState.INCOMING, now));
    assertEquals(List.of(), queue.staleTempFiles(QueueState.DEFERRED, now));
  }

  @Test
  void keepsATempFileOfALiveWriter() throws Exception {
    long now = System.currentTimeMillis();
    temp(".tmp." + ProcessHandle.current().pid() + ".fedcba", now);

    assertEquals(List.of(), queue.staleTempFiles(QueueState.INCOMING, now + 7_200_000));
  }

  @Test
  void reapsATempFileWhosePidNowBelongsToAProcessStartedAfterIt() throws Exception {
    long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    long now = System.currentTimeMillis();
    Path reused = temp(".tmp." + ProcessHandle.current().pid() + ".0123ab", started - 60_000);

    assertEquals(List.of(reused), queue.staleTempFiles(QueueState.INCOMING, now));
  }

  @Test
  void reapsATempFileWithoutAPidOnlyAfterAnHour() throws Exception {
    long now = System.currentTimeMillis();
    Path old = temp(".tmp.junk", now - 3_700_000);
    temp(".tmp.x.y", now);

    assertEquals(List.of(old), queue.staleTempFiles(QueueState.INCOMING, now));
  }

  @Test
  void aMissingStateDirectoryListsAsEmpty() throws IOException {
    QueueDirectory bare = new QueueDirectory(tmp.resolve("nothing"));

    assertEquals(List.of(), bare.list(QueueState.INCOMING));
  }

  @Test
  void movesAMessageBetweenStates() throws IOException {
    Path before = put(QueueState.INCOMING, A);
    byte[] bytes = Files.readAllBytes(before);

    queue.move(A, QueueState.INCOMING, QueueState.ACTIVE);

    assertFalse(Files.exists(before));
    assertEquals(List.of(A), queue.list(QueueState.ACTIVE));
    assertTrue(java.util.Arrays.equals(bytes,
        Files.readAllBytes(queue.file(QueueState.ACTIVE, A))));
  }

  @Test
  void movingAMissingMessageFailsWithNoSuchFile() {
    assertThrows(NoSuchFileException.class,
        () -> queue.move(A, QueueState.INCOMING, QueueState.ACTIVE));
  }

  @Test
  void removesTheMessageAndItsStatus() throws IOException {
    put(QueueState.DEFERRED, A);
    put(QueueState.DEFERRED, B);
    DeliveryStatus.fresh().withAttempt(5).write(queue.statusFile(A));
    DeliveryStatus.fresh().withAttempt(5).write(queue.statusFile(B));

    queue.remove(A, QueueState.DEFERRED);

    assertEquals(List.of(B), queue.list(QueueState.DEFERRED));
    assertFalse(Files.exists(queue.statusFile(A)));
    assertTrue(Files.exists(queue.statusFile(B)), "another message's status is kept");
  }

  @Test
  void removesAMessageThatHasNoStatus() throws IOException {
    put(QueueState.ACTIVE, A);

    queue.remove(A, QueueState.ACTIVE);

    assertEquals(List.of(), queue.list(QueueState.ACTIVE));
  }

  @Test
  void namesFilesByStateAndId() {
    assertEquals(queue.root().resolve("deferred").resolve(A.value()),
        queue.file(QueueState.DEFERRED, A));
    assertEquals(queue.root().resolve("status").resolve(A.value()), queue.statusFile(A));
  }
}
