package org.postern.engine.local.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DeliveryOutcome.Bounced;
import org.postern.engine.global.DeliveryOutcome.Deferred;
import org.postern.engine.global.DeliveryOutcome.Delivered;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.local.RunAs;
import org.postern.engine.local.mbox.FromStyle;
import org.postern.engine.local.mbox.MboxAppender;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.local.mbox.MboxSettings;
import org.postern.engine.util.ProcessIdentity;

class FileDeliveryTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T02:51:14Z"), ZoneOffset.UTC);
  private static final List<String> HEADERS =
      List.of("Return-Path: <alice@example.org>", "Delivered-To: bob@host");
  private static final String CONTENT = "Subject: test\n\nFrom the body\n>From stays\n";
  private static final String ENTRY =
      "From alice@example.org  Wed Nov 25 02:51:14 2026\n"
          + "Return-Path: <alice@example.org>\n"
          + "Delivered-To: bob@host\n"
          + "Subject: test\n\n>From the body\n>From stays\n\n";
  private static final int NOBODY = 65534;

  @TempDir Path dir;
  private ProcessIdentity self;
  private RunAs me;
  private final RunAs nobody = new RunAs("nobody", NOBODY, NOBODY, Path.of("/nonexistent"), "");
  private FileDelivery delivery;

  @BeforeEach
  void setUp() throws IOException {
    self = ProcessIdentity.current();
    me = new RunAs(self.name(), self.uid(), self.gid(), dir, "/bin/sh");
    MailLog log = MailLog.to(new PrintStream(new ByteArrayOutputStream(), true), "local");
    MboxSettings fast =
        new MboxSettings(
            5, Duration.ofMillis(20), Duration.ofSeconds(500), 0, true, FromStyle.POSTFIX);
    delivery = new FileDelivery(new MboxAppender(fast, log, CLOCK));
  }

  private static MboxMessage message() {
    byte[] bytes = CONTENT.getBytes(StandardCharsets.UTF_8);
    return new MboxMessage("alice@example.org", HEADERS, () -> new ByteArrayInputStream(bytes));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static Path file(Path where, String mode, int uid, int gid, String content)
      throws IOException {
    Files.writeString(where, content);
    Files.setPosixFilePermissions(where, PosixFilePermissions.fromString(mode));
    Files.setAttribute(where, "unix:uid", uid);
    Files.setAttribute(where, "unix:gid", gid);
    return where;
  }

  private static Path directory(Path where, String mode, int uid, int gid) throws IOException {
    Files.createDirectories(where);
    Files.setPosixFilePermissions(where, PosixFilePermissions.fromString(mode));
    Files.setAttribute(where, "unix:uid", uid);
    Files.setAttribute(where, "unix:gid", gid);
    return where;
  }

  private static void assertRefused(DeliveryOutcome outcome, String text) {
    assertInstanceOf(Bounced.class, outcome, outcome.toString());
    assertEquals("5.2.0", outcome.status().code());
    assertEquals(text, outcome.reason());
  }

  @Test
  void createsMissingFileInMboxFormat() throws IOException {
    Path file = dir.resolve("archive");
    DeliveryOutcome outcome = delivery.deliver(file, me, message());
    assertEquals(new Delivered(new DsnStatus("2.0.0", "delivered to file: " + file)), outcome);
    assertEquals(ENTRY, read(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void appendsToExistingFile() throws IOException {
    Path file = dir.resolve("archive");
    Files.writeString(file, "earlier\n\n");
    assertInstanceOf(Delivered.class, delivery.deliver(file, me, message()));
    assertInstanceOf(Delivered.class, delivery.deliver(file, me, message()));
    assertEquals("earlier\n\n" + ENTRY + ENTRY, read(file));
    assertFalse(Files.exists(dir.resolve("archive.lock")));
  }

  @Test
  void refusesSymlink() throws IOException {
    Path target = Files.writeString(dir.resolve("target"), "keep\n");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    DeliveryOutcome outcome = delivery.deliver(link, me, message());
    assertInstanceOf(Bounced.class, outcome);
    assertEquals("keep\n", read(target));
  }

  @Test
  void refusesDirectory() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    assertInstanceOf(Bounced.class, delivery.deliver(sub, me, message()));
  }

  @Test
  void refusesFifo() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    DeliveryOutcome outcome = delivery.deliver(fifo, me, message());
    assertInstanceOf(Bounced.class, outcome);
    assertEquals("5.2.0", outcome.status().code());
  }

  @Test
  void refusesHardLinkedFile() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "keep\n");
    Files.createLink(dir.resolve("other"), file);
    assertInstanceOf(Bounced.class, delivery.deliver(file, me, message()));
    assertEquals("keep\n", read(file));
  }

  @Test
  void refusesExecutableFile() throws IOException {
    Path script = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    assertRefused(
        delivery.deliver(script, me, message()),
        "cannot append message to file " + script + ": file is executable");
    assertEquals("#!/bin/sh\n", read(script));
  }

  @Test
  void defersRelativeFileNameAsAnExpansionBug() {
    DeliveryOutcome outcome = delivery.deliver(Path.of("mail/inbox"), me, message());
    assertInstanceOf(Deferred.class, outcome);
    assertEquals("4.3.5", outcome.status().code());
  }

  @Test
  void bouncesWhenDirectoryIsMissing() {
    Path file = dir.resolve("no/such/dir/file");
    assertRefused(
        delivery.deliver(file, me, message()),
        "cannot append message to file " + file + ": No such file or directory");
  }

  // Root appending for another user: the user's rights decide.

  private void assumeRoot() throws IOException {
    assumeTrue(self.isRoot(), "needs root");
    // @TempDir is 0700: let the user pass through, as a home's parent would.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void rootAppendsToFileTheUserOwns() throws IOException {
    assumeRoot();
    Path file = file(dir.resolve("mine"), "rw-------", NOBODY, NOBODY, "");
    assertInstanceOf(Delivered.class, delivery.deliver(file, nobody, message()));
    assertEquals(ENTRY, read(file));
  }

  @Test
  void rootRefusesFileTheUserCannotWrite() throws IOException {
    assumeRoot();
    Path file = file(dir.resolve("roots"), "rw-r--r--", 0, 0, "keep\n");
    assertRefused(
        delivery.deliver(file, nobody, message()),
        "cannot append message to file " + file + ": Permission denied");
    assertEquals("keep\n", read(file));
  }

  @Test
  void rootFollowsTheGroupAndOtherClasses() throws IOException {
    assumeRoot();
    Path group = file(dir.resolve("group"), "rw-rw----", 0, NOBODY, "");
    assertInstanceOf(Delivered.class, delivery.deliver(group, nobody, message()));
    Path otherGroup = file(dir.resolve("othergroup"), "rw-rw----", 0, 0, "");
    assertInstanceOf(Bounced.class, delivery.deliver(otherGroup, nobody, message()));
    Path world = file(dir.resolve("world"), "rw-rw-rw-", 0, 0, "");
    assertInstanceOf(Delivered.class, delivery.deliver(world, nobody, message()));
    // The owner class alone counts for the owner, as in the kernel.
    Path ownerReadOnly = file(dir.resolve("ownerro"), "r--rw-rw-", NOBODY, 0, "");
    assertInstanceOf(Bounced.class, delivery.deliver(ownerReadOnly, nobody, message()));
    assertEquals("", read(ownerReadOnly));
  }

  @Test
  void rootCreatesFileForUserInDirectoryTheUserMayWrite() throws IOException {
    assumeRoot();
    Path open = directory(dir.resolve("open"), "rwxrwxrwx", 0, 0);
    Path file = open.resolve("new");
    assertInstanceOf(Delivered.class, delivery.deliver(file, nobody, message()));
    assertEquals(ENTRY, read(file));
    Map<String, Object> st = Files.readAttributes(file, "unix:uid,gid,mode");
    assertEquals(NOBODY, st.get("uid"));
    assertEquals(NOBODY, st.get("gid"));
    assertEquals(0100600, st.get("mode"));
  }

  @Test
  void rootRefusesToCreateWhereTheUserMayNotWrite() throws IOException {
    assumeRoot();
    Path closed = directory(dir.resolve("closed"), "rwxr-xr-x", 0, 0);
    Path file = closed.resolve("new");
    assertRefused(
        delivery.deliver(file, nobody, message()),
        "cannot append message to file " + file + ": Permission denied");
    assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(closed.resolve("new.lock"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void rootRefusesFileBehindDirectoryTheUserCannotSearch() throws IOException {
    assumeRoot();
    Path hidden = directory(dir.resolve("hidden"), "rwx------", 0, 0);
    Path inner = directory(hidden.resolve("inner"), "rwxrwxrwx", 0, 0);
    Path file = file(inner.resolve("world"), "rw-rw-rw-", 0, 0, "");
    assertRefused(
        delivery.deliver(file, nobody, message()),
        "cannot append message to file " + file + ": Permission denied");
    assertEquals("", read(file));
  }

  @Test
  void rootFollowsTheUserRightsThroughASymlinkedDirectory() throws IOException {
    assumeRoot();
    Path closed = directory(dir.resolve("closed"), "rwxr-xr-x", 0, 0);
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), closed);
    Path file = alias.resolve("new");
    assertInstanceOf(Bounced.class, delivery.deliver(file, nobody, message()));
    assertFalse(Files.exists(closed.resolve("new"), LinkOption.NOFOLLOW_LINKS));
  }
}
