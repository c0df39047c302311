package org.postern.engine.local.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.util.ProcessIdentity;

class MaildirWriterTest {
  /** Every delivery in the same microsecond: names must be unique all the same. */
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T02:51:14.123456Z"), ZoneOffset.UTC);

  private static final List<String> HEADERS =
      List.of("Return-Path: <alice@example.org>", "X-Original-To: bob@host",
          "Delivered-To: bob@host");

  @TempDir Path home;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final MailLog log =
      MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "local");
  private final MaildirWriter writer = new MaildirWriter("host.example", 4242, CLOCK, log);

  private static MboxMessage message(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new MboxMessage("alice@example.org", HEADERS, () -> new ByteArrayInputStream(bytes));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void createsTheMaildirAndStoresHeadersAndMessageUnquotedInNew() throws Exception {
    Path maildir = home.resolve("Maildir");
    Path stored = writer.deliver(maildir, message("Subject: x\n\nFrom here\n>From there\n"));

    assertEquals(List.of(stored), files(maildir.resolve("new")));
    assertEquals("Return-Path: <alice@example.org>\nX-Original-To: bob@host\n"
        + "Delivered-To: bob@host\nSubject: x\n\nFrom here\n>From there\n",
        Files.readString(stored));
    assertEquals(List.of(), files(maildir.resolve("tmp")));
    assertEquals(List.of(), files(maildir.resolve("cur")));
    assertEquals("rw-------", mode(stored));
    for (String dir : List.of("", "tmp", "new", "cur")) {
      assertEquals("rwx------", mode(maildir.resolve(dir)), dir);
    }
  }

  @Test
  void namesTheFileInNewAfterItsDeviceAndInode() throws Exception {
    Path stored = writer.deliver(home.resolve("Maildir"), message("Subject: x\n\n"));
    long ino = (Long) Files.getAttribute(stored, "unix:ino");
    long dev = (Long) Files.getAttribute(stored, "unix:dev");
    assertEquals("1795575074.V" + Long.toHexString(dev) + "I" + Long.toHexString(ino)
        + "M123456.host.example", stored.getFileName().toString());
  }

  @Test
  void givesEveryConcurrentDeliveryItsOwnFile() throws Exception {
    Path maildir = home.resolve("Maildir");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Path>> done = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String text = "Subject: " + i + "\n\nbody " + i + "\n";
      done.add(pool.submit(() -> writer.deliver(maildir, message(text))));
    }
    Set<String> bodies = new HashSet<>();
    for (Future<Path> f : done) {
      bodies.add(Files.readString(f.get()));
    }
    pool.shutdown();
    assertEquals(200, bodies.size());
    assertEquals(200, files(maildir.resolve("new")).size());
    assertEquals(List.of(), files(maildir.resolve("tmp")));
  }

  @Test
  void completesAnUnfinishedLastLine() throws Exception {
    Path stored = writer.deliver(home.resolve("Maildir"), message("Subject: x\n\nno end"));
    assertTrue(Files.readString(stored).endsWith("\n\nno end\n"));
  }

  @Test
  void addsNewAndCurToAMaildirMadeWithTmpOnly() throws Exception {
    Path maildir = home.resolve("Maildir");
    Files.createDirectories(maildir.resolve("tmp"));
    Path stored = writer.deliver(maildir, message("Subject: x\n\n"));
    assertEquals(maildir.resolve("new"), stored.getParent());
    assertTrue(Files.isDirectory(maildir.resolve("cur")));
  }

  @Test
  void bouncesWhenAFileStandsWhereTheMaildirShouldBe() throws Exception {
    Path maildir = home.resolve("Maildir");
    Files.writeString(maildir, "not a directory");
    PermFailException e = assertThrows(PermFailException.class,
        () -> writer.deliver(maildir, message("Subject: x\n\n")));
    assertEquals("5.2.0", e.status().code());
    assertEquals("maildir delivery failed: " + maildir + ": Not a directory", e.status().text());
  }

  @Test
  void bouncesWhenTheRecipientMayNotWriteTheMaildir() throws Exception {
    assumeFalse(ProcessIdentity.current().isRoot(), "root may write anywhere");
    Path maildir = home.resolve("Maildir");
    Files.createDirectories(maildir.resolve("tmp"));
    Files.setPosixFilePermissions(maildir.resolve("tmp"),
        PosixFilePermissions.fromString("r-x------"));
    PermFailException e = assertThrows(PermFailException.class,
        () -> writer.deliver(maildir, message("Subject: x\n\n")));
    assertEquals("5.2.0", e.status().code());
    assertTrue(logged.toString(StandardCharsets.UTF_8).contains("perhaps the maildir must be"
        + " created in advance"));
  }

  @Test
  void leavesNothingBehindWhenTheMessageCannotBeRead() throws Exception {
    Path maildir = home.resolve("Maildir");
    MboxMessage broken = new MboxMessage("alice@example.org", HEADERS,
        () -> new SequenceInputStream(
            new ByteArrayInputStream("Subject: x\n\nhalf".getBytes(StandardCharsets.UTF_8)),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("Input/output error");
              }
            }));
    TempFailException e = assertThrows(TempFailException.class,
        () -> writer.deliver(maildir, broken));
    assertEquals("4.3.0", e.status().code());
    assertEquals(List.of(), files(maildir.resolve("tmp")));
    assertTrue(Files.notExists(maildir.resolve("new")) || files(maildir.resolve("new")).isEmpty());
  }

  @Test
  void writesSlashAndColonOfTheHostNameAsTheSpecificationSays() {
    MaildirName names = new MaildirName("a/b:c", 7);
    assertEquals("1795575074.M123456P7Q1.a\\057b\\072c", names.tmp(CLOCK.instant()));
  }
}
