package org.postern.engine.local.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
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
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.util.ProcessIdentity;

class CommandDeliveryTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T02:51:14Z"), ZoneOffset.UTC);
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final List<String> HEADERS =
      List.of(
          "Return-Path: <alice@example.org>",
          "X-Original-To: bob@host",
          "Delivered-To: bob@host");
  private static final String HEAD =
      "From alice@example.org  Wed Nov 25 02:51:14 2026\n"
          + "Return-Path: <alice@example.org>\n"
          + "X-Original-To: bob@host\n"
          + "Delivered-To: bob@host\n";
  private static final String CONTENT =
      "Subject: test\n\nFrom the start of a line, unquoted for commands\n>From stays\n";

  @TempDir Path dir;
  private ProcessIdentity self;
  private RunAs me;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final MailLog log =
      MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "local");

  @BeforeEach
  void setUp() throws IOException {
    self = ProcessIdentity.current();
    me = new RunAs(self.name(), self.uid(), self.gid(), dir, "/bin/sh");
  }

  private CommandDelivery delivery(Duration limit) {
    return new CommandDelivery(limit, self, FromStyle.POSTFIX, log, CLOCK, SETPRIV);
  }

  private DeliveryOutcome run(String command) {
    return run(command, me, message(CONTENT));
  }

  private DeliveryOutcome run(String command, RunAs as, MboxMessage message) {
    return delivery(Duration.ofSeconds(30)).deliver(command, as, env(as), message);
  }

  private static CommandEnvironment env(RunAs as) {
    return new CommandEnvironment(
        "alice@example.org", "bob+ext@host", "bob+ext@Host", as.user(), "ext", "host",
        "bob+ext", as.home().toString(), as.shell());
  }

  private static MboxMessage message(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new MboxMessage("alice@example.org", HEADERS, () -> new ByteArrayInputStream(bytes));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Test
  void commandReadsFromLineHeadersAndUnquotedMessage() throws IOException {
    Path out = dir.resolve("out");
    DeliveryOutcome outcome = run("cat > " + out);
    assertInstanceOf(Delivered.class, outcome);
    assertEquals("2.0.0", outcome.status().code());
    assertEquals("delivered to command: cat > " + out, outcome.reason());
    assertEquals(HEAD + CONTENT, read(out));
  }

  @Test
  void lastLineWithoutLineEndIsCompleted() throws IOException {
    Path out = dir.resolve("out");
    run("cat > " + out, me, message("Subject: x\n\nno line end"));
    assertEquals(HEAD + "Subject: x\n\nno line end\n", read(out));
  }

  @Test
  void commandSeesOnlyItsEnvironment() throws IOException {
    Path out = dir.resolve("env");
    assertInstanceOf(Delivered.class, run("env > " + out));
    Map<String, String> seen = new HashMap<>();
    for (String line : read(out).split("\n")) {
      int eq = line.indexOf('=');
      seen.put(line.substring(0, eq), line.substring(eq + 1));
    }
    Map<String, String> expected = new HashMap<>(env(me).toMap());
    for (String name : List.of("TZ", "LANG")) {
      if (System.getenv(name) != null) {
        expected.put(name, System.getenv(name));
      }
    }
    seen.remove("PWD"); // the shell's own
    seen.remove("SHLVL");
    seen.remove("_");
    assertEquals(expected, seen);
    assertEquals(dir.toString(), seen.get("HOME"));
    assertEquals("alice@example.org", seen.get("SENDER"));
    assertEquals("bob+ext@Host", seen.get("ORIGINAL_RECIPIENT"));
  }

  @Test
  void exitZeroIsDelivered() {
    assertEquals(
        new Delivered(new DsnStatus("2.0.0", "delivered to command: exit 0")), run("exit 0"));
  }

  @Test
  void exitTempfailIsDeferred() {
    DeliveryOutcome outcome = run("exit 75");
    assertInstanceOf(Deferred.class, outcome);
    assertEquals("4.3.0", outcome.status().code());
    assertEquals("temporary failure", outcome.reason());
  }

  @Test
  void exitNoUserBouncesAsUnknownUser() {
    DeliveryOutcome outcome = run("exit 67");
    assertInstanceOf(Bounced.class, outcome);
    assertEquals("5.1.1", outcome.status().code());
    assertEquals("user unknown", outcome.reason());
  }

  @Test
  void otherExitStatusBouncesWithPostfixWording() {
    DeliveryOutcome outcome = run("exit 1");
    assertInstanceOf(Bounced.class, outcome);
    assertEquals("5.3.0", outcome.status().code());
    assertEquals("Command died with status 1: \"exit 1\"", outcome.reason());
  }

  @Test
  void deathBySignalIsDeferredAsPostfixDoes() {
    DeliveryOutcome outcome = run("kill -9 $$");
    assertInstanceOf(Deferred.class, outcome);
    assertEquals("4.3.0", outcome.status().code());
    assertEquals("Command died with signal 9: \"kill -9 $$\"", outcome.reason());
  }

  @Test
  void outputIsQuotedOnOneLine() {
    DeliveryOutcome outcome =
        run("echo 'no such user' >&2; printf 'second\\tline\\r\\n'; exit 67");
    assertEquals("user unknown. Command output: no such user second line_", outcome.reason());
  }

  @Test
  void outputIsBounded() {
    String command = "head -c 100000 /dev/zero | tr '\\000' x; exit 1";
    DeliveryOutcome outcome = run(command);
    String prefix = "Command died with status 1: \"" + command + "\". Command output: ";
    assertTrue(outcome.reason().startsWith(prefix), outcome.reason());
    assertEquals("x".repeat(OutputCapture.LIMIT), outcome.reason().substring(prefix.length()));
  }

  @Test
  void statusCodeAtStartOfOutputOverridesExitStatus() {
    DeliveryOutcome outcome = run("echo '4.2.2 mailbox is full'; exit 1");
    assertInstanceOf(Deferred.class, outcome);
    assertEquals("4.2.2", outcome.status().code());
    assertEquals("mailbox is full", outcome.reason());
  }

  @Test
  void commandThatIgnoresItsInputStillSucceeds() {
    String big = "Subject: big\n\n" + ("x".repeat(1023) + "\n").repeat(1024);
    assertInstanceOf(Delivered.class, run("exit 0", me, message(big)));
    assertInstanceOf(Delivered.class, run("head -c 10 > /dev/null", me, message(big)));
  }

  @Test
  void timeLimitKillsTheWholeTreeAndBounces() throws Exception {
    Path pidFile = dir.resolve("pid");
    String command = "sleep 1000 & echo $! > " + pidFile + "; wait";
    long start = System.nanoTime();
    DeliveryOutcome outcome =
        delivery(Duration.ofSeconds(1)).deliver(command, me, env(me), message(CONTENT));
    long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertInstanceOf(Bounced.class, outcome);
    assertEquals("5.3.0", outcome.status().code());
    assertEquals("Command time limit exceeded: \"" + command + "\"", outcome.reason());
    assertTrue(elapsed < 5000, "took " + elapsed + " ms");
    long sleeper = Long.parseLong(read(pidFile).strip());
    assertTrue(gone(sleeper), "sleep " + sleeper + " still runs");
  }

  /** True once the process has ended (a zombie waiting for its reaper counts as ended). */
  private static boolean gone(long pid) throws InterruptedException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    for (int i = 0; i < 100; i++) {
      try {
        String s = Files.readString(stat);
        if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
          return true;
        }
      } catch (IOException e) {
        return true; // no such process any more
      }
      Thread.sleep(20);
    }
    return false;
  }

  @Test
  void runsInTheHomeDirectory() throws IOException {
    Path out = dir.resolve("pwd");
    run("pwd > " + out);
    assertEquals(dir.toRealPath() + "\n", read(out));
  }

  @Test
  void runsInRootDirectoryWhenHomeIsMissing() throws IOException {
    Path out = dir.resolve("pwd");
    RunAs homeless = new RunAs(me.user(), me.uid(), me.gid(), dir.resolve("gone"), "");
    run("pwd > " + out, homeless, message(CONTENT));
    assertEquals("/\n", read(out));
  }

  @Test
  void readErrorOnTheMessageDefersAndStopsTheCommand() throws IOException {
    Path out = dir.resolve("out");
    MboxMessage broken =
        new MboxMessage(
            "alice@example.org",
            HEADERS,
            () ->
                new InputStream() {
                  @Override
                  public int read() throws IOException {
                    throw new IOException("queue file vanished");
                  }
                });
    DeliveryOutcome outcome = run("cat > " + out + "; exit 0", me, broken);
    assertInstanceOf(Deferred.class, outcome);
    assertEquals("4.3.0", outcome.status().code());
    assertTrue(outcome.reason().contains("queue file vanished"), outcome.reason());
  }

  @Test
  void rootRunsTheCommandAsTheUserThroughSetpriv() throws IOException {
    assumeTrue(self.isRoot() && Files.isExecutable(SETPRIV), "needs root and setpriv");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path out = dir.resolve("id");
    RunAs nobody = new RunAs("nobody", 65534, 65534, dir, "/bin/sh");
    DeliveryOutcome outcome =
        run("id -u > " + out + "; id -g >> " + out + "; id -G >> " + out, nobody,
            message(CONTENT));
    assertInstanceOf(Delivered.class, outcome, outcome.toString());
    assertEquals("65534\n65534\n65534\n", read(out));
  }

  @Test
  void rootDefersWhenSetprivIsMissing() {
    assumeTrue(self.isRoot(), "needs root");
    RunAs nobody = new RunAs("nobody", 65534, 65534, dir, "/bin/sh");
    CommandDelivery noSetpriv =
        new CommandDelivery(
            Duration.ofSeconds(5), self, FromStyle.POSTFIX, log, CLOCK, dir.resolve("setpriv"));
    DeliveryOutcome outcome = noSetpriv.deliver("exit 0", nobody, env(nobody), message(CONTENT));
    assertInstanceOf(Deferred.class, outcome);
    assertEquals("4.3.0", outcome.status().code());
    assertTrue(outcome.reason().contains("setpriv"), outcome.reason());
  }

  @Test
  void rootStartsInRootDirectoryWhenTheUserCannotSearchHome() throws IOException {
    assumeTrue(self.isRoot() && Files.isExecutable(SETPRIV), "needs root and setpriv");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path home = Files.createDirectory(dir.resolve("home"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Path out = dir.resolve("pwd");
    RunAs nobody = new RunAs("nobody", 65534, 65534, home, "/bin/sh");
    run("pwd > " + out, nobody, message(CONTENT));
    assertEquals("/\n", read(out));
    assertFalse(logged.toString(StandardCharsets.UTF_8).contains("error"));
  }
}
