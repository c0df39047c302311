package org.postern.engine.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.Recipient;

/**
 * Shared pieces of the SMTP client tests: a client with millisecond timeouts, messages whose
 * content lives in a file under the test's temporary directory, a captured log, and the usual
 * server greeting.
 */
final class SmtpTestKit {
  static final String ME = "client.example";

  final Path dir;
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final MailLog log = MailLog.to(new PrintStream(logBytes, true, StandardCharsets.UTF_8), "smtp");
  private int files;

  SmtpTestKit(Path dir) {
    this.dir = dir;
  }

  static ClientSettings settings(TlsLevel level, long timeoutMillis) {
    return new ClientSettings(ME, ME, Timeouts.all(timeoutMillis), level, Optional.empty(), false,
        SaslSettings.DISABLED);
  }

  SmtpClient client() throws Exception {
    return SmtpClient.create(settings(TlsLevel.NONE, 2000), log);
  }

  String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  static Destination destination(TlsLevel level, Endpoint... servers) {
    return new Destination("example.org", List.of(servers), level, false, "example.org", "");
  }

  /** A message to these recipients whose content is {@code content} in a file. */
  OutgoingMessage message(String content, String... recipients) throws IOException {
    return message(content.getBytes(StandardCharsets.UTF_8), recipients);
  }

  OutgoingMessage message(byte[] content, String... recipients) throws IOException {
    Path file = dir.resolve("content-" + files++);
    Files.write(file, content);
    List<Recipient> rcpts = new ArrayList<>();
    for (String r : recipients) {
      rcpts.add(new Recipient(r));
    }
    return new OutgoingMessage("4ABCDEF", "sender@" + ME, rcpts, "", "",
        MessageContent.scan(() -> Files.newInputStream(file)));
  }

  /** The greeting and an EHLO reply offering these extensions. */
  static void greet(ScriptedServer.Peer p, String... extensions) throws IOException {
    p.send("220 mx.example.org ESMTP");
    p.expect("EHLO " + ME);
    ehlo(p, extensions);
  }

  static void ehlo(ScriptedServer.Peer p, String... extensions) throws IOException {
    String[] lines = new String[extensions.length + 1];
    lines[0] = "250" + (extensions.length == 0 ? " " : "-") + "mx.example.org";
    for (int i = 0; i < extensions.length; i++) {
      lines[i + 1] = "250" + (i == extensions.length - 1 ? " " : "-") + extensions[i];
    }
    p.send(lines);
  }

  /** Takes sender@client.example's message to a@example.org with 250, then QUIT. */
  static void acceptMessage(ScriptedServer.Peer p) throws IOException {
    p.expect("MAIL FROM:<sender@client.example>");
    p.send("250 Ok");
    p.expect("RCPT TO:<a@example.org>");
    p.send("250 Ok");
    p.expect("DATA");
    p.send("354 go ahead");
    p.readData();
    p.send("250 2.0.0 Ok: queued as T1");
    p.expectQuit();
  }
}
