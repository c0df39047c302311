package org.postern.compat.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.compat.mailq.QueueFixture;
import org.postern.compat.sendmail.SendmailCommand;
import org.postern.engine.global.Config;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.DeliveryStatus.Result;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueScanner;

/**
 * The daemon's REPLY to a listing (protocol version 2): the same bytes and exit code as the
 * command prints when it reads the queue itself, for every selection; LOCAL for version 1;
 * the listing follows the queue as it is when asked.
 */
class ListingReplyIT {
  /** One command run: exit code and what it printed. */
  record Run(int exit, String out, String err) {}

  @TempDir Path tmp;
  private QueueFixture fixture;
  private SubmissionServer server;
  private Thread serving;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
      serving.join(5000);
    }
  }

  /** A queue with a deferred, a held and a fresh message, two recipients each. */
  private void queue(String... mainCf) throws Exception {
    fixture = QueueFixture.create(tmp, mainCf);
    fixture.message("0SCK3E20000A0001", QueueState.DEFERRED).arrived(90).to("bob@b.example",
            "carol@c.example").result(0, Result.DEFERRED, "4.4.1", "connection refused", 30)
        .attempt(20).write();
    fixture.message("0SCK3E20000B0002", QueueState.HOLD).arrived(60).from("")
        .to("dave@d.example").write();
    fixture.message("0SCK3E20000C0003", QueueState.INCOMING).arrived(5)
        .content("Precedence: bulk\nSubject: x\n\nbody\n").to("erin@e.example").write();
  }

  private void startServer() throws Exception {
    Config config = Config.load(fixture.dir);
    server = SubmissionServer.open(config, () -> { },
        new SubmissionServer.Limits(4, java.time.Duration.ofSeconds(5),
            java.time.Duration.ofSeconds(5)),
        QueueScanner.remembering(fixture.queue, MailLog.open(config, "showq")));
    serving = new Thread(server::serve, "test-serve");
    serving.start();
  }

  static Stream<Arguments> listings() {
    return Stream.of(
        Arguments.of("mailq", List.of()),
        Arguments.of("mailq", List.of("-v")),
        Arguments.of("sendmail", List.of("-bp")),
        Arguments.of("sendmail", List.of("-bp", "-qRbob")),
        Arguments.of("sendmail", List.of("-bp", "-q!Rbob")),
        Arguments.of("mailq", List.of("-qR!bob", "-qSalice")),
        Arguments.of("mailq", List.of("-qI0SCK3E20000B")),
        Arguments.of("mailq", List.of("-q!I0SCK3E20000B")),
        Arguments.of("mailq", List.of("-qQ")),
        Arguments.of("mailq", List.of("-qL")),
        Arguments.of("sendmail", List.of("-bP")));
  }

  @ParameterizedTest
  @MethodSource("listings")
  void repliesWithTheBytesTheCommandPrints(String program, List<String> args) throws Exception {
    queue();
    Run local = command(program, args);
    startServer();

    assertEquals(local, viaSocket(2, program, args));
    assertEquals(local, command(program, args), "the Java client takes the REPLY");
  }

  @Test
  void postfixLayoutAndABadFormatComeBackAsTheCommandPrintsThem() throws Exception {
    queue("mailq_format = postfix");
    Run local = command("mailq", List.of());
    startServer();
    assertEquals(local, viaSocket(2, "mailq", List.of()));

    Files.writeString(fixture.dir.resolve("main.cf"), "mailq_format = bogus\n",
        java.nio.file.StandardOpenOption.APPEND);
    server.close();
    serving.join(5000);
    Run bad = command("sendmail", List.of("-bp"));
    startServer();

    assertEquals(78, bad.exit());
    assertEquals(bad, viaSocket(2, "sendmail", List.of("-bp")));
  }

  @Test
  void aVersion1ClientIsToldToListLocally() throws Exception {
    queue();
    startServer();

    assertEquals(new Run(-1, "LOCAL", ""), viaSocket(1, "mailq", List.of()));
  }

  @Test
  void listsWhatIsQueuedAtTheTimeOfAsking() throws Exception {
    queue("maillog_debug = yes");
    startServer();
    assertTrue(viaSocket(2, "sendmail", List.of("-bP")).out().endsWith("entries=3\n"));

    fixture.message("0SCK3E20000D0004", QueueState.INCOMING).to("fred@f.example").write();
    Files.delete(fixture.queue.file(QueueState.DEFERRED,
        new org.postern.engine.queue.QueueId("0SCK3E20000A0001")));
    Run after = viaSocket(2, "mailq", List.of());

    assertTrue(after.out().contains("0SCK3E20000D0004"), after.out());
    assertFalse(after.out().contains("0SCK3E20000A0001"), after.out());
    assertTrue(Files.readString(fixture.dir.resolve("maillog")).contains("listing served"));
  }

  /** The command in this process, as a user runs it (it asks the daemon when one runs). */
  private Run command(String program, List<String> args) {
    List<String> argv = new ArrayList<>(List.of("-C", fixture.dir.toString()));
    argv.addAll(args);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = new SendmailCommand(Map.of(), program).run(
          new ByteArrayInputStream(new byte[0]), o, e, argv.toArray(String[]::new));
    }
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * The daemon's answer to a client of {@code version}, as a C client would see it: a REPLY's
   * records (exit -1 and the answer line as out for anything else).
   */
  private Run viaSocket(int version, String program, List<String> args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("-C", fixture.dir.toString()));
    argv.addAll(args);
    try (SocketChannel ch = SocketChannel.open(
        UnixDomainSocketAddress.of(SubmitSocket.path(Config.load(fixture.dir))))) {
      OutputStream to = Channels.newOutputStream(ch);
      new SubmitRequest(version, argv, program, Map.of()).write(to);
      to.flush();
      InputStream in = Channels.newInputStream(ch);
      String answer = SubmitProtocol.readLine(in, SubmitProtocol.MAX_LINE);
      if (!answer.equals(SubmitProtocol.REPLY)) {
        return new Run(-1, answer, "");
      }
      String out = "";
      String err = "";
      while (true) {
        String[] record = SubmitProtocol.readLine(in, SubmitProtocol.MAX_LINE).split(" ", 2);
        int n = Integer.parseInt(record[1]);
        if (record[0].equals(SubmitProtocol.EXIT)) {
          assertEquals(-1, in.read(), "the server closes after EXIT");
          return new Run(n, out, err);
        }
        String text = new String(SubmitProtocol.readBytes(in, n), StandardCharsets.UTF_8);
        if (record[0].equals(SubmitProtocol.OUT)) {
          out = text;
        } else {
          err = text;
        }
      }
    }
  }
}
