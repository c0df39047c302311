package org.postern.compat.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.compat.admin.PosternCommand;
import org.postern.engine.util.ProcessIdentity;

/**
 * The sendmail command driven in-process against a fresh {@code postern init} instance: what
 * scripts see (exit code, stdout, stderr, exactly) and what lands in the queue and mailboxes.
 * No background queue runs are started (the launcher's {@code postern.bin} is not set), so
 * delivery happens only at {@code -q}.
 */
class SendmailCommandIT {
  private static final String MESSAGE = "Subject: test\n\nhello\n";
  private static final Pattern ENTRY = Pattern.compile(
      "[0-9A-Z]{16} {1}(.{8}) (Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
          + "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123]\\d \\d\\d:\\d\\d (.*)");

  /** One command run: exit code and what it printed. */
  record Run(int exit, String out, String err) {}

  @TempDir Path tmp;
  private Path dir;
  private String me;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.resolve("inst");
    me = ProcessIdentity.current().name();
    Run init = run(new PosternCommand(Map.of())::run, "", "init", dir.toString(),
        "--user", "alice", "--user", "bob", "--user", "carol");
    assertEquals(new Run(0, "", ""), init);
  }

  private interface Command {
    int run(java.io.InputStream in, PrintStream out, PrintStream err, String... args);
  }

  private static Run run(Command c, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = c.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e, args);
    }
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** {@code argv0 -C dir args...} with {@code stdin}. */
  private Run as(String argv0, String stdin, String... args) {
    List<String> argv = new ArrayList<>(List.of("-C", dir.toString()));
    argv.addAll(List.of(args));
    return run(new SendmailCommand(Map.of(), argv0)::run, stdin, argv.toArray(String[]::new));
  }

  private Run sendmail(String stdin, String... args) {
    return as("sendmail", stdin, args);
  }

  private String mbox(String user) throws IOException {
    Path p = dir.resolve("mail").resolve(user);
    return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
  }

  private long messages(String user) throws IOException {
    return mbox(user).lines().filter(l -> l.startsWith("From ")).count();
  }

  private long files(String queueDir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("queue").resolve(queueDir))) {
      return s.count();
    }
  }

  /** sendmail's savemail() line after a copy went to ~/dead.letter. */
  private String savedLine() {
    return deadLetter() + "... Saved message in " + deadLetter() + "\n";
  }

  private Path deadLetter() {
    return dir.resolve("home").resolve(me).resolve("dead.letter");
  }

  // Submission and delivery.

  @Test
  void queuesWithOdqAndDeliversAtQ() throws IOException {
    assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "-odq", "bob"));
    assertEquals(1, files("maildrop"));
    assertEquals("", mbox("bob"), "-odq only queues");

    assertEquals(new Run(0, "", ""), sendmail("", "-q"));

    String mbox = mbox("bob");
    assertEquals(1, messages("bob"));
    assertTrue(mbox.contains("\nSubject: test\n"), mbox);
    assertTrue(mbox.endsWith("\n\nhello\n\n"), mbox);
    assertEquals(0, files("maildrop"));
    assertEquals(0, files("incoming"));
  }

  @Test
  void extractsRecipientsWithTAndAddsTheArguments() throws IOException {
    String msg = "To: bob\nCc: Carol <carol>\nBcc: alice\nSubject: t\n\nbody\n";

    assertEquals(new Run(0, "", ""), sendmail(msg, "-odq", "-t", me));
    sendmail("", "-q");

    for (String user : List.of("alice", "bob", "carol", me)) {
      assertEquals(1, messages(user), user);
      assertFalse(mbox(user).contains("\nBcc:"), user + " sees no Bcc: " + mbox(user));
    }
  }

  // Exit codes and their lines (spec a.8).

  @Test
  void refusesAMissingRecipientWith64() {
    assertEquals(new Run(64, "", "Recipient names must be specified\n"),
        sendmail(MESSAGE, "-odq"));
  }

  @Test
  void refusesAnUnknownOptionWith64() {
    assertEquals(new Run(64, "", "illegal option -- Z\n"), sendmail(MESSAGE, "-Z", "bob"));
  }

  @Test
  void refusesABadAddressWith64() throws IOException {
    assertEquals(new Run(64, "", "a@@b... Invalid route address\n" + savedLine()),
        sendmail(MESSAGE, "-odq", "a@@b"));
    assertEquals(0, files("maildrop"));
    assertTrue(Files.exists(deadLetter()), "spec a.8: a copy goes to ~/dead.letter");
  }

  @Test
  void refusesAnUnknownLocalUserWith67AndKeepsTheOthers() throws IOException {
    assertEquals(new Run(67, "", "nosuchuser... User unknown\n" + savedLine()),
        sendmail(MESSAGE, "-odq", "bob", "nosuchuser"));
    assertEquals(1, files("maildrop"), "bob's copy is queued");

    sendmail("", "-q");

    assertEquals(1, messages("bob"));
  }

  @Test
  void exitsZeroForTWithoutRecipients() throws IOException {
    assertEquals(new Run(0, "", "No recipient addresses found in header\n"),
        sendmail("Subject: none\n\nx\n", "-odq", "-t"));
    assertEquals(0, files("maildrop"));
  }

  @Test
  void refusesAMessageOverMessageSizeLimit() throws IOException {
    Files.writeString(dir.resolve("main.cf"), "message_size_limit = 100\n",
        StandardOpenOption.APPEND);

    Run r = sendmail("Subject: big\n\n" + "x".repeat(200) + "\n", "-odq", "bob");

    assertEquals(new Run(65, "",
        "sendmail: 552 5.3.4 Message size exceeds fixed maximum message size (100)\n"), r);
    assertEquals(0, files("maildrop"));
  }

  // Error modes (spec a.5).

  @Test
  void printModeSavesDeadLetterInTheInvokingUsersHome() throws IOException {
    Run r = sendmail(MESSAGE, "-odq", "-oep", "nosuchuser");

    assertEquals(new Run(67, "", "nosuchuser... User unknown\n" + savedLine()), r);
    String dead = Files.readString(deadLetter(), StandardCharsets.ISO_8859_1);
    assertTrue(Pattern.compile("From " + Pattern.quote(me) + " (Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
        + "\\w{3} [ 123]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\n").matcher(dead).lookingAt(), dead);
    assertTrue(dead.endsWith("\n" + MESSAGE + "\n"), dead);
  }

  @Test
  void printIsTheDefaultErrorMode() {
    sendmail(MESSAGE, "-odq", "nosuchuser");

    assertTrue(Files.exists(deadLetter()));
  }

  @Test
  void quietModePrintsNothingAndSavesNothing() throws IOException {
    assertEquals(new Run(67, "", ""), sendmail(MESSAGE, "-odq", "-oeq", "nosuchuser"));
    assertFalse(Files.exists(deadLetter()));
    assertEquals(0, files("maildrop"));
  }

  @Test
  void mailModeQueuesANoticeToTheSender() throws IOException {
    assertEquals(new Run(67, "", ""), sendmail(MESSAGE, "-odq", "-oem", "nosuchuser"));
    assertFalse(Files.exists(deadLetter()));
    assertEquals(1, files("maildrop"), "the notice waits in the queue");

    sendmail("", "-q");

    String notice = mbox(me);
    assertEquals(1, messages(me));
    assertTrue(notice.startsWith("From MAILER-DAEMON "), notice);
    assertTrue(notice.contains("\nSubject: Undelivered Mail Returned to Sender\n"), notice);
    assertTrue(notice.contains("nosuchuser"), notice);
    assertTrue(notice.contains("Status: 5.1.1"), notice);
  }

  @Test
  void mailAndExitZeroModeExitsZero() throws IOException {
    assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "-odq", "-oee", "nosuchuser"));
    assertEquals(1, files("maildrop"));
  }

  // Other modes.

  @Test
  void verifiesAddressesInSendmailsWords() {
    Run r = sendmail("", "-bv", "bob", "nosuchuser", "x@example.net");

    assertEquals(new Run(67,
        "bob... deliverable: mailer local, user bob\n"
            + "nosuchuser... User unknown\n"
            + "x@example.net... deliverable: mailer esmtp, host example.net, user x@example.net\n",
        ""), r);
  }

  @Test
  void listsAnEmptyQueue() {
    String q = dir.resolve("queue").toString();

    assertEquals(new Run(0, q + " is empty\n\t\tTotal requests: 0\n", ""), sendmail("", "-bp"));
  }

  @Test
  void listsQueuedMessagesInSendmailsLayout() {
    sendmail(MESSAGE, "-odq", "bob", "carol");

    Run r = sendmail("", "-bp");

    assertEquals(0, r.exit());
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(6, lines.size(), r.out());
    assertEquals("\t\t" + dir.resolve("queue") + " (1 request)", lines.get(0));
    // sendmail's column line verbatim (spec b.1); our longer ids widen the id column.
    assertEquals(
        "-----Q-ID----- --Size-- -----Q-Time----- ------------Sender/Recipient-----------",
        lines.get(1));
    var entry = ENTRY.matcher(lines.get(2));
    assertTrue(entry.matches(), lines.get(2));
    // The size is the body's (sendmail's df file), as in spec b.1.
    assertEquals(String.format("%8d", "hello\n".length()), entry.group(1));
    assertEquals(me, entry.group(4));
    assertEquals("\t\t\t\t\t bob", lines.get(3));
    assertEquals("\t\t\t\t\t carol", lines.get(4));
    assertEquals("\t\tTotal requests: 1", lines.get(5));
  }

  @Test
  void showsTheDeferralReasonOfADeferredMessage() throws IOException {
    lockMailboxesFailFast();
    Files.createFile(dir.resolve("mail/bob.lock"));
    sendmail(MESSAGE, "-odq", "bob");
    sendmail("", "-q");

    List<String> lines = sendmail("", "-bp").out().lines().toList();

    assertEquals(6, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(3).startsWith("                 (Deferred: unable to lock mailbox "),
        lines.get(3));
    assertTrue(lines.get(3).endsWith(")"), lines.get(3));
    assertEquals("\t\t\t\t\t bob@" + hostName(), lines.get(4));
  }

  @Test
  void interactiveDeliveryExits75WhenTheMessageStaysQueued() throws IOException {
    lockMailboxesFailFast();
    Files.createFile(dir.resolve("mail/bob.lock"));

    Run r = sendmail(MESSAGE, "-odi", "bob");

    assertEquals(75, r.exit(), r.toString());
    assertEquals(1, files("deferred"));
  }

  @Test
  void interactiveDeliveryDeliversBeforeExiting() throws IOException {
    assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "-odi", "bob"));

    assertEquals(1, messages("bob"));
  }

  /** A held mailbox lock fails at once instead of after 20 x 1s. */
  private void lockMailboxesFailFast() throws IOException {
    Files.writeString(dir.resolve("main.cf"),
        "deliver_lock_attempts = 1\ndeliver_lock_delay = 0s\n", StandardOpenOption.APPEND);
  }

  private static String hostName() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
  }

  @Test
  void actsAsMailqWhenCalledMailq() {
    sendmail(MESSAGE, "-odq", "bob");

    assertEquals(sendmail("", "-bp"), as("mailq", ""));
  }

  @Test
  void actsAsNewaliasesWhenCalledNewaliasesWithoutAStackTrace() {
    Run r = as("newaliases", "");

    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    assertNotEquals(70, r.exit(), "not an internal error: " + r);
    assertTrue(r.err().isEmpty() || r.err().lines().count() == 1, r.err());
    // postern init's aliases file: "postmaster: OWNER" (sendmail counts lhs + rhs bytes).
    String owner = System.getProperty("user.name");
    assertEquals(new Run(0, dir.resolve("aliases") + ": 1 aliases, longest " + owner.length()
        + " bytes, " + ("postmaster".length() + owner.length()) + " bytes total\n", ""), r);
  }

  @Test
  void rebuildsTheAliasesWithDashBiAndReportsBadLinesOnStderr() throws IOException {
    Path aliases = dir.resolve("aliases");
    Files.writeString(aliases, "postmaster: root\nbroken\n");

    Run r = sendmail("", "-bi");

    assertEquals(new Run(0, aliases + ": 1 aliases, longest 4 bytes, 14 bytes total\n",
        aliases + ": line 2: missing colon\n"), r);
    assertTrue(Files.exists(dir.resolve("aliases.db")));
  }
}
