package org.postern.engine.local.mbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.postern.engine.local.mbox.MboxFixtures.CLOCK;
import static org.postern.engine.local.mbox.MboxFixtures.FROM_LINE;
import static org.postern.engine.local.mbox.MboxFixtures.HEADERS;
import static org.postern.engine.local.mbox.MboxFixtures.PREPENDED;
import static org.postern.engine.local.mbox.MboxFixtures.ascii;
import static org.postern.engine.local.mbox.MboxFixtures.fastSettings;
import static org.postern.engine.local.mbox.MboxFixtures.message;
import static org.postern.engine.local.mbox.MboxFixtures.read;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.MailException;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.mbox.MboxFixtures.CapturedLog;
import org.postern.engine.local.mbox.MboxFixtures.FailingStream;
import org.postern.engine.local.mbox.MboxFixtures.TricklingStream;

class MboxAppenderTest {
  @TempDir Path dir;
  private Path mailbox;
  private MailboxOwner me;
  private final CapturedLog log = new CapturedLog();
  private MboxAppender appender;

  @BeforeEach
  void setUp() throws IOException {
    mailbox = dir.resolve("bob");
    me = new MailboxOwner((Integer) Files.getAttribute(dir, "unix:uid"),
        (Integer) Files.getAttribute(dir, "unix:gid"), false);
    appender = new MboxAppender(fastSettings(), log.log, CLOCK);
  }

  private static final String CONTENT =
      "From: Alice <alice@example.org>\n"
          + "From x: a header line that looks like an envelope\n"
          + "Subject: test\n"
          + "\n"
          + "From the start of a body line\n"
          + ">From already quoted stays as it is\n"
          + "Fromage is not a From_ line\n"
          + " From with a leading space\n"
          + "\n"
          + "From\n"
          + "From";

  private static final String EXPECTED =
      FROM_LINE
          + PREPENDED
          + "From: Alice <alice@example.org>\n"
          + ">From x: a header line that looks like an envelope\n"
          + "Subject: test\n"
          + "\n"
          + ">From the start of a body line\n"
          + ">From already quoted stays as it is\n"
          + "Fromage is not a From_ line\n"
          + " From with a leading space\n"
          + "\n"
          + "From\n"
          + "From\n"
          + "\n";

  @Test
  void writesPostfixFormatQuotingEveryFromLine() throws Exception {
    appender.append(mailbox, me, message(CONTENT));

    assertEquals(EXPECTED, read(mailbox));
  }

  @Test
  void quotesFromLinesWhateverTheReadBoundaries() throws Exception {
    for (int chunk : new int[] {1, 2, 3, 5, 7}) {
      Path box = dir.resolve("trickle" + chunk);
      byte[] bytes = ascii(CONTENT);
      MboxMessage msg =
          new MboxMessage(
              "alice@example.org",
              HEADERS,
              () -> new TricklingStream(new ByteArrayInputStream(bytes), chunk));

      appender.append(box, me, msg);

      assertEquals(EXPECTED, read(box), "chunk " + chunk);
    }
  }

  @Test
  void quotesFromLineSplitAcrossTheCopyBuffer() throws Exception {
    // The 64 KiB copy buffer ends after "Fr"; "om " arrives with the next read.
    String filler = "x".repeat(65536 - 3) + "\n";
    String content = filler + "From here\nend\n";

    appender.append(mailbox, me, message(content));

    assertEquals(FROM_LINE + PREPENDED + filler + ">From here\nend\n\n", read(mailbox));
  }

  @Test
  void copiesNulAnd8BitBytesAndLongLinesExactly() throws Exception {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(ascii("Subject: bytes\n\n"));
    for (int b = 0; b < 256; b++) {
      content.write(b == '\n' ? 0 : b);
    }
    content.writeBytes(ascii("\n" + "y".repeat(200_000) + "\n"));
    byte[] body = content.toByteArray();

    appender.append(mailbox, me, message(body));

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(ascii(FROM_LINE + PREPENDED));
    expected.writeBytes(body);
    expected.write('\n');
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(mailbox));
  }

  @Test
  void appendsSecondMessageAfterTheFirst() throws Exception {
    appender.append(mailbox, me, message("Subject: one\n\nfirst\n"));
    appender.append(mailbox, me, message("Subject: two\n\nsecond\n"));

    String entry1 = FROM_LINE + PREPENDED + "Subject: one\n\nfirst\n\n";
    String entry2 = FROM_LINE + PREPENDED + "Subject: two\n\nsecond\n\n";
    assertEquals(entry1 + entry2, read(mailbox));
  }

  private static final String QUEUED =
      "Received: by host (Postern, from userid 1000)\n\tid 0TPOHRN99AQ004R9\n"
          + "\tfor <bob@host>; Wed, 25 Nov 2026 02:51:14 +0000 (UTC)\nSubject: q\n\nbody\n";

  private static MboxMessage queued(String id, String content) {
    return new MboxMessage("alice@example.org", HEADERS,
        () -> new ByteArrayInputStream(ascii(content)), Optional.of(id));
  }

  @Test
  void doesNotAppendARepeatOfADeliveryTheMailboxHoldsAlready() throws Exception {
    appender.append(mailbox, me, queued("0TPOHRN99AQ004R9", QUEUED));
    appender.append(mailbox, me, message("Subject: other\n\nnewer mail came in between\n"));

    appender.append(mailbox, me, queued("0TPOHRN99AQ004R9", QUEUED));

    String entry = FROM_LINE + PREPENDED + QUEUED + "\n";
    String other = FROM_LINE + PREPENDED + "Subject: other\n\nnewer mail came in between\n\n";
    assertEquals(entry + other, read(mailbox));
    assertTrue(log.text().contains("already holds queue id 0TPOHRN99AQ004R9"), log.text());
  }

  @Test
  void appendsWhenOnlyTheQueueIdOrOnlyTheRecipientMatches() throws Exception {
    appender.append(mailbox, me, queued("0TPOHRN99AQ004R9", QUEUED));

    // Another queue file with the same recipient; the same id for another recipient.
    appender.append(mailbox, me, queued("0TPOHRN99AQ004RA", QUEUED.replace("04R9", "04RA")));
    List<String> carol = List.of("Return-Path: <alice@example.org>",
        "X-Original-To: carol@host", "Delivered-To: carol@host");
    appender.append(mailbox, me, new MboxMessage("alice@example.org", carol,
        () -> new ByteArrayInputStream(ascii(QUEUED)), Optional.of("0TPOHRN99AQ004R9")));
    // The id in a body, not in the header block, is no evidence either.
    String inBody = "Subject: q\n\nid 0TPOHRN99AQ004RB\n";
    appender.append(mailbox, me, queued("0TPOHRN99AQ004RB", inBody));
    appender.append(mailbox, me, queued("0TPOHRN99AQ004RB", inBody));

    assertEquals(5, read(mailbox).split("\nFrom alice@example.org ", -1).length);
  }

  @Test
  void appendsAgainWhatLiesBeyondTheWindow() throws Exception {
    appender.append(mailbox, me, queued("0TPOHRN99AQ004R9", QUEUED));
    appender.append(mailbox, me, message("Subject: big\n\n"
        + "x".repeat(RepeatedAppend.WINDOW) + "\n"));

    appender.append(mailbox, me, queued("0TPOHRN99AQ004R9", QUEUED));

    assertEquals(2, read(mailbox).split("\tid 0TPOHRN99AQ004R9\n", -1).length - 1);
  }

  @Test
  void createsNewMailboxWithMode0600() throws Exception {
    appender.append(mailbox, me, message("Subject: x\n\nx\n"));

    assertEquals("rw-------", mode(mailbox));
  }

  @Test
  void givesNewMailboxToOwnerAndGroupOfSpoolDirectoryWhenRoot() throws Exception {
    assumeTrue(me.uid() == 0, "needs root to chown");
    Files.setAttribute(dir, "unix:gid", 4242);

    appender.append(mailbox, new MailboxOwner(4321, 4321, true), message("Subject: x\n\nx\n"));

    assertEquals(4321, Files.getAttribute(mailbox, "unix:uid"));
    assertEquals(4242, Files.getAttribute(mailbox, "unix:gid"));
    assertEquals("rw-------", mode(mailbox));
  }

  @Test
  void writesAsTheUserWithTheSpoolGroupInAGroupWritableSpool() throws Exception {
    assumeTrue(me.uid() == 0, "needs root to act as another user");
    Files.setAttribute(dir, "unix:gid", 4242);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
    // A root-only file the user could not have written is refused by the kernel.
    Path other = dir.resolve("other");
    Files.writeString(other, "root's\n");
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));

    appender.append(mailbox, new MailboxOwner(4321, 4321, true), message("Subject: x\n\nx\n"));
    assertEquals(4321, Files.getAttribute(mailbox, "unix:uid"));
    assertEquals(4242, Files.getAttribute(mailbox, "unix:gid"));
    assertEquals("rw-------", mode(mailbox));
    TempFailException e = assertThrows(TempFailException.class,
        () -> appender.append(other, new MailboxOwner(4321, 4321, true), message("x\n")));
    assertEquals("4.2.0", e.status().code());
    assertEquals("root's\n", Files.readString(other));
  }

  @Test
  void bouncesWhenMailboxIsASymlink() throws Exception {
    Path target = dir.resolve("passwd");
    Files.writeString(target, "root:x:0:0\n");
    Files.createSymbolicLink(mailbox, target);

    assertRefused(PermFailException.class, "5.2.0", "not a regular file");
    assertEquals("root:x:0:0\n", read(target));
  }

  @Test
  void bouncesWhenMailboxIsADirectory() throws Exception {
    Files.createDirectory(mailbox);

    assertRefused(PermFailException.class, "5.2.0", "not a regular file");
  }

  @Test
  void bouncesWhenMailboxIsAFifo() throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", mailbox.toString()).start();
    assertEquals(0, mkfifo.waitFor());

    assertRefused(PermFailException.class, "5.2.0", "not a regular file");
  }

  @Test
  void bouncesWhenMailboxIsHardLinked() throws Exception {
    Path other = dir.resolve("other");
    Files.writeString(other, "secret\n");
    Files.createLink(mailbox, other);

    assertRefused(PermFailException.class, "5.2.0", "hard-linked");
    assertEquals("secret\n", read(other));
  }

  @Test
  void defersWhenMailboxIsNotOwnedByRecipientUnderStrictOwnership() throws Exception {
    Files.writeString(mailbox, "");
    MailboxOwner someoneElse = new MailboxOwner(me.uid() + 1, me.gid(), false);

    TempFailException e =
        assertThrows(
            TempFailException.class,
            () -> appender.append(mailbox, someoneElse, message("Subject: x\n\nx\n")));

    assertEquals("4.2.0", e.status().code());
    assertTrue(e.getMessage().contains("not owned by user"), e.getMessage());
    assertEquals(0, Files.size(mailbox));
    assertTrue(log.text().contains("strict_mailbox_ownership = no"), log.text());
  }

  @Test
  void deliversToForeignOwnedMailboxWithoutStrictOwnership() throws Exception {
    Files.writeString(mailbox, "");
    MboxSettings lax =
        new MboxSettings(
            5, Duration.ofMillis(20), Duration.ofSeconds(500), 0, false, FromStyle.POSTFIX);
    MboxAppender laxAppender = new MboxAppender(lax, log.log, CLOCK);

    laxAppender.append(mailbox, new MailboxOwner(me.uid() + 1, me.gid(), false),
        message(CONTENT));

    assertEquals(EXPECTED, read(mailbox));
  }

  @Test
  void truncatesBackWhenContentFailsMidway() throws Exception {
    appender.append(mailbox, me, message("Subject: one\n\nfirst\n"));
    byte[] before = Files.readAllBytes(mailbox);
    MboxMessage broken =
        new MboxMessage("alice@example.org", HEADERS, () -> new FailingStream(300_000));

    TempFailException e =
        assertThrows(TempFailException.class, () -> appender.append(mailbox, me, broken));

    assertEquals("4.3.0", e.status().code());
    assertArrayEquals(before, Files.readAllBytes(mailbox));
  }

  @Test
  void truncatesBackWhenContentThrowsUncheckedException() throws Exception {
    appender.append(mailbox, me, message("Subject: one\n\nfirst\n"));
    byte[] before = Files.readAllBytes(mailbox);
    MboxMessage buggy =
        new MboxMessage(
            "alice@example.org",
            HEADERS,
            () ->
                new InputStream() {
                  private int left = 200_000;

                  @Override
                  public int read() {
                    if (left-- == 0) {
                      throw new IllegalStateException("bug");
                    }
                    return 'z';
                  }
                });

    assertThrows(IllegalStateException.class, () -> appender.append(mailbox, me, buggy));

    assertArrayEquals(before, Files.readAllBytes(mailbox));
  }

  @Test
  void bouncesWithoutChangeWhenMailboxSizeLimitWouldBeExceeded() throws Exception {
    appender.append(mailbox, me, message("Subject: one\n\nfirst\n"));
    byte[] before = Files.readAllBytes(mailbox);
    MboxSettings limited =
        new MboxSettings(
            5,
            Duration.ofMillis(20),
            Duration.ofSeconds(500),
            before.length + 100_000,
            true,
            FromStyle.POSTFIX);
    MboxAppender limitedAppender = new MboxAppender(limited, log.log, CLOCK);
    String big = "Subject: big\n\n" + "line of text\n".repeat(20_000);

    PermFailException e =
        assertThrows(
            PermFailException.class, () -> limitedAppender.append(mailbox, me, message(big)));

    assertEquals("5.2.2", e.status().code());
    assertArrayEquals(before, Files.readAllBytes(mailbox));
    limitedAppender.append(mailbox, me, message("Subject: small\n\nfits\n"));
    assertTrue(read(mailbox).endsWith("fits\n\n"));
  }

  @Test
  void writesDeadLetterInSendmailStyleWithoutOwnershipCheck() throws Exception {
    Path deadLetter = dir.resolve("dead.letter");
    MboxAppender sendmailStyle =
        new MboxAppender(fastSettings().withFromStyle(FromStyle.SENDMAIL), log.log, CLOCK);
    MboxMessage msg =
        new MboxMessage("root", List.of(), () -> new ByteArrayInputStream(ascii("Subject: x\n")));

    sendmailStyle.appendAsCaller(deadLetter, msg);

    assertEquals("From root Wed Nov 25 02:51:14 2026\nSubject: x\n\n", read(deadLetter));
  }

  @Test
  void refusesSymlinkAsDeadLetter() throws Exception {
    Path target = dir.resolve("target");
    Files.writeString(target, "keep\n");
    Path deadLetter = dir.resolve("dead.letter");
    Files.createSymbolicLink(deadLetter, target);

    assertThrows(
        PermFailException.class, () -> appender.appendAsCaller(deadLetter, message("x\n")));
    assertEquals("keep\n", read(target));
  }

  @Test
  void streamsAMessageLargerThanMemoryBudget() throws Exception {
    long lines = 400_000; // 64 bytes a line: about 25 MB
    String line = "x".repeat(63) + "\n";
    MboxMessage huge =
        new MboxMessage(
            "alice@example.org",
            HEADERS,
            () ->
                new InputStream() {
                  private long pos;

                  @Override
                  public int read() {
                    return pos < lines * 64 ? line.charAt((int) (pos++ % 64)) : -1;
                  }
                });

    appender.append(mailbox, me, huge);

    long expected = FROM_LINE.length() + PREPENDED.length() + lines * 64 + 1;
    assertEquals(expected, Files.size(mailbox));
  }

  @Test
  void pythonMailboxModuleReadsBackEveryMessage() throws Exception {
    List<String> bodies = List.of("first\n", "From the top\nmiddle\n", "no final newline");
    for (int i = 0; i < bodies.size(); i++) {
      appender.append(mailbox, me, message("Subject: m" + i + "\n\n" + bodies.get(i)));
    }
    String script =
        "import mailbox,sys\n"
            + "box=mailbox.mbox(sys.argv[1])\n"
            + "print(len(box))\n"
            + "for m in box: sys.stdout.write(m['Subject']+'|'+m.get_from()+'|'"
            + "+m.get_payload().replace('\\n','\\\\n')+'\\n')\n";
    Process python =
        new ProcessBuilder("python3", "-c", script, mailbox.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, python.waitFor(), out);

    String from = "alice@example.org  Wed Nov 25 02:51:14 2026";
    assertEquals(
        "3\n"
            + "m0|" + from + "|first\\n\n"
            + "m1|" + from + "|>From the top\\nmiddle\\n\n"
            + "m2|" + from + "|no final newline\\n\n",
        out);
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private void assertRefused(Class<? extends MailException> type, String code, String text) {
    MailException e =
        assertThrows(type, () -> appender.append(mailbox, me, message("Subject: x\n\nx\n")));
    assertEquals(code, e.status().code());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }
}
