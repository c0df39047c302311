package org.postern.engine.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DeliveryOutcome.Bounced;
import org.postern.engine.global.DeliveryOutcome.Delivered;

/**
 * The SMTP client against Postfix's own test server, smtp-sink(1): a real, independent SMTP
 * implementation with PIPELINING, whose dump file shows what arrived. Skipped where
 * smtp-sink is not installed.
 */
class SmtpSinkTest {
  private static final Path SMTP_SINK = Path.of("/usr/sbin/smtp-sink");

  @TempDir Path dir;
  private SmtpTestKit kit;
  private Process sink;
  private int port;

  @BeforeEach
  void setUp() {
    assumeTrue(Files.isExecutable(SMTP_SINK), "smtp-sink is not installed");
    kit = new SmtpTestKit(dir);
  }

  @AfterEach
  void stopSink() throws InterruptedException {
    if (sink != null) {
      sink.destroy();
      sink.waitFor();
    }
  }

  /** Starts smtp-sink on a free loopback port, dumping transactions to {@code dump}. */
  private Path startSink(String... options) throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path dump = dir.resolve("dump");
    List<String> cmd = new ArrayList<>(List.of(SMTP_SINK.toString(),
        "-u", System.getProperty("user.name"), "-D", dump.toString()));
    cmd.addAll(List.of(options));
    cmd.addAll(List.of("127.0.0.1:" + port, "10"));
    sink = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("sink.out").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return dump;
      } catch (IOException e) {
        Thread.sleep(20); // not listening yet
      }
    }
    throw new IllegalStateException("smtp-sink did not start: "
        + Files.readString(dir.resolve("sink.out")));
  }

  private Endpoint sinkEndpoint() {
    return new Endpoint("localhost",
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  @Test
  void deliversThreeRecipientsInOnePipelinedTransaction() throws Exception {
    Path dump = startSink();
    ByteArrayOutputStream dialogue = new ByteArrayOutputStream();
    TransactionResult r;
    try (SmtpClient client = kit.client()) {
      r = client.deliver(SmtpTestKit.destination(TlsLevel.NONE, sinkEndpoint()),
          kit.message("Subject: sink\n\n.dot line\nbody\n",
              "a@example.org", "b@example.org", "c@example.org"),
          Transcript.printingTo(new PrintStream(dialogue, true, StandardCharsets.UTF_8)));
    }

    assertEquals(3, r.recipients().size());
    for (RecipientResult rr : r.recipients()) {
      assertInstanceOf(Delivered.class, rr.outcome());
      assertTrue(rr.outcome().reason().startsWith("250 2.0.0 Ok"),
          rr.outcome().reason());
    }
    String text = dialogue.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("250-PIPELINING"), text);
    String captured = waitForDump(dump);
    assertTrue(captured.contains("X-Mail-Args: <sender@client.example>"), captured);
    for (String rcpt : List.of("a", "b", "c")) {
      assertTrue(captured.contains("X-Rcpt-Args: <" + rcpt + "@example.org> ORCPT=rfc822;"
          + rcpt + "@example.org"), captured);
    }
    assertTrue(captured.contains("Subject: sink\n\n.dot line\nbody\n"), captured);
  }

  @Test
  void bouncesEveryRecipientTheSinkRefusesAndSendsNoData() throws Exception {
    startSink("-f", "RCPT");
    TransactionResult r;
    try (SmtpClient client = kit.client()) {
      r = client.deliver(SmtpTestKit.destination(TlsLevel.NONE, sinkEndpoint()),
          kit.message("x\n", "a@example.org", "b@example.org", "c@example.org"));
    }

    for (RecipientResult rr : r.recipients()) {
      assertInstanceOf(Bounced.class, rr.outcome());
      assertTrue(rr.outcome().reason().endsWith("(in reply to RCPT TO command)"),
          rr.outcome().reason());
    }
  }

  private static String waitForDump(Path dump) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (Files.exists(dump)) {
        String s = Files.readString(dump, StandardCharsets.ISO_8859_1);
        if (s.contains("body")) {
          return s;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("smtp-sink wrote no dump");
  }
}
