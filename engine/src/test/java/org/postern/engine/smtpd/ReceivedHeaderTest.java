package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.util.ProcessIdentity;

/**
 * The trace header of SMTP mail, end to end through a real listener into incoming/: exactly
 * one Received header (smtpd's; cleanup adds none), in Postfix's shape, naming the queue id
 * the client was given in {@code 250 ... queued as ID}.
 */
class ReceivedHeaderTest {
  private static final Pattern QUEUED = Pattern.compile("250 2\\.0\\.0 Ok: queued as (\\w{16})");

  @TempDir Path root;
  /** The id of the last message, from its {@code 250 ... queued as} reply. */
  private String queuedId;

  @Test
  void smtpMailCarriesOneReceivedHeaderNamingItsQueueId() throws Exception {
    String content = deliver(List.of("alice@example.org"));
    assertEquals(1, count(content, "Received:"), content);
    assertTrue(Pattern.compile("\\AReceived: from client\\.example\\.net \\(unknown \\[127\\.0\\.0"
        + "\\.1\\]\\)\n\tby mail\\.example\\.org \\(Postern\\) with ESMTP id " + queuedId
        + "\n\tfor <alice@example\\.org>; \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d "
        + "[-+]\\d{4} \\(\\w+\\)\nSubject: hi\n").matcher(content).find(), content);
  }

  @Test
  void smtpMailToTwoRecipientsNamesNeitherInItsOneReceivedHeader() throws Exception {
    String content = deliver(List.of("alice@example.org", "bob@example.org"));
    assertEquals(1, count(content, "Received:"), content);
    assertTrue(content.startsWith("Received: from client.example.net (unknown [127.0.0.1])\n"
        + "\tby mail.example.org (Postern) with ESMTP id " + queuedId + "; "), content);
  }

  /** One SMTP transaction to {@code rcpts}; the queued content of the message. */
  private String deliver(List<String> rcpts) throws Exception {
    Config config = instance();
    MailSystem system = MailSystem.open(config);
    try (SmtpListener listener = SmtpListener.open(config, system,
        c -> new TranscriptPolicy(List.of("mail.example.org", "example.org")), () -> {})) {
      Thread server = new Thread(listener::serve, "test-smtpd");
      server.start();
      InetSocketAddress at = listener.addresses().get(0);
      try (Socket socket = new Socket(at.getAddress(), at.getPort())) {
        socket.setSoTimeout(5000);
        BufferedReader in = new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        expect(in, "220 ");
        send(out, "EHLO client.example.net");
        expect(in, "250 ");
        send(out, "MAIL FROM:<sender@example.net>");
        expect(in, "250 ");
        for (String rcpt : rcpts) {
          send(out, "RCPT TO:<" + rcpt + ">");
          expect(in, "250 ");
        }
        send(out, "DATA");
        expect(in, "354 ");
        send(out, "Subject: hi\r\n\r\nbody\r\n.");
        Matcher m = QUEUED.matcher(expect(in, "250 "));
        assertTrue(m.matches(), m.toString());
        queuedId = m.group(1);
        send(out, "QUIT");
        expect(in, "221 ");
      }
    }
    QueueDirectory queue = system.queue();
    assertEquals(List.of(new QueueId(queuedId)), queue.list(QueueState.INCOMING));
    return new String(QueueFileReader.read(queue.file(QueueState.INCOMING,
        new QueueId(queuedId))).readContent(), StandardCharsets.UTF_8);
  }

  private static void send(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads reply lines up to the last one of a reply, which must start with {@code code}. */
  private static String expect(BufferedReader in, String code) throws IOException {
    String line;
    do {
      line = in.readLine();
      assertTrue(line != null, "connection closed, expected " + code);
    } while (line.length() > 3 && line.charAt(3) == '-');
    assertTrue(line.startsWith(code), "expected " + code + ", got " + line);
    return line;
  }

  private static int count(String content, String headerStart) {
    String header = content.substring(0, content.indexOf("\n\n") + 1);
    return (int) header.lines().filter(l -> l.regionMatches(true, 0, headerStart, 0,
        headerStart.length())).count();
  }

  private Config instance() throws Exception {
    ProcessIdentity me = ProcessIdentity.current();
    Files.writeString(root.resolve("users"),
        me.name() + ":x:" + me.uid() + ":" + me.gid() + "::" + root + ":/bin/sh\n"
            + "alice:x:" + me.uid() + ":" + me.gid() + "::" + root + ":/bin/sh\n"
            + "bob:x:" + me.uid() + ":" + me.gid() + "::" + root + ":/bin/sh\n");
    Files.createDirectories(root.resolve("log"));
    Files.writeString(root.resolve("main.cf"), "root = " + root + "\n"
        + "myhostname = mail.example.org\nmyorigin = example.org\n"
        + "mydestination = mail.example.org, example.org\n"
        + "queue_directory = queue\nmail_spool_directory = mail\nlocal_users_file = users\n"
        + "alias_maps = hash:aliases\nmaillog_file = log/maillog\n"
        + "mail_owner = " + me.name() + "\n"
        + "smtpd_listen = 127.0.0.1:0\nsmtpd_peername_lookup = no\nsmtpd_timeout = 5s\n");
    new QueueDirectory(root.resolve("queue")).create();
    return Config.load(root);
  }
}
