package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.engine.global.Config;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.ProcessIdentity;

/**
 * Runs every SMTP transcript under {@code transcripts/} against a real listener on
 * 127.0.0.1 (ephemeral port) of an instance in a temp directory. Script lines:
 *
 * <pre>
 * # comment                 @ name = value   main.cf line for this script
 * C: text    send text CRLF (escapes \r \n \0 \\); consecutive C lines go in one write
 * C| text    send text without CRLF          C* N text   send text CRLF N times
 * S: text    expect this reply line          S~ regex    expect a reply line matching
 * C! close   send what is pending, then end our side (the client goes away)
 * S! closed  expect the server to hang up    Q: N        N messages in incoming/
 * H: N       N messages in hold/             M~ regex    the last queued content matches
 * E~ regex   the last queued envelope dump matches (sender/rcpt/attr lines)
 * L~ regex   a log line matches (waits up to 3 s: the disconnect line comes after EOF)
 * </pre>
 *
 * <p>A script that names {@code test-cert.pem} in an {@code @} line gets a self-signed
 * certificate and key ({@code test-key.pem}) made by openssl in the instance's root.
 */
class SmtpTranscriptTest {
  @TempDir Path root;

  static Stream<String> transcripts() throws IOException, URISyntaxException {
    Path dir = Path.of(SmtpTranscriptTest.class.getResource("transcripts").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transcripts")
  void followsTranscript(String name) throws Exception {
    Path script = Path.of(getClass().getResource("transcripts/" + name).toURI());
    List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
    List<String> extra = new ArrayList<>();
    lines.stream().filter(l -> l.startsWith("@ ")).forEach(l -> extra.add(l.substring(2)));
    Config config = instance(extra);
    MailSystem system = MailSystem.open(config);
    try (SmtpListener listener = SmtpListener.open(config, system,
        c -> new TranscriptPolicy(List.of("mail.example.org", "example.org", "localhost")),
        () -> {})) {
      Thread server = new Thread(listener::serve, "test-smtpd");
      server.start();
      InetSocketAddress at = listener.addresses().get(0);
      try (Socket socket = new Socket(at.getAddress(), at.getPort())) {
        socket.setSoTimeout(5000);
        play(lines, socket, system.queue());
      }
    }
  }

  private void play(List<String> lines, Socket socket, QueueDirectory queue) throws Exception {
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    int n = 0;
    for (String line : lines) {
      n++;
      String where = "line " + n + ": " + line;
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("@ ")) {
        continue;
      }
      String kind = line.substring(0, 2);
      String arg = line.length() > 3 ? line.substring(3) : "";
      if (kind.equals("C:")) {
        pending.write(unescape(arg + "\\r\\n"));
        continue;
      } else if (kind.equals("C|")) {
        pending.write(unescape(arg));
        continue;
      } else if (kind.equals("C*")) {
        int space = arg.indexOf(' ');
        byte[] one = unescape(arg.substring(space + 1) + "\\r\\n");
        for (int i = Integer.parseInt(arg.substring(0, space)); i > 0; i--) {
          pending.write(one);
        }
        continue;
      }
      if (pending.size() > 0) {
        try {
          out.write(pending.toByteArray());
          out.flush();
        } catch (SocketException e) {
          // the server hung up mid-write (a flood it refused): the next S! line says so
        }
        pending.reset();
      }
      switch (kind) {
        case "C!" -> socket.shutdownOutput();
        case "S:" -> assertEquals(arg, readLine(in), where);
        case "S~" -> {
          String reply = readLine(in);
          assertTrue(Pattern.compile(arg).matcher(reply).matches(), where + " got: " + reply);
        }
        case "S!" -> assertEquals(null, readLine(in), where);
        case "Q:" -> assertEquals(Integer.parseInt(arg), queue.list(QueueState.INCOMING).size(),
            where);
        case "H:" -> assertEquals(Integer.parseInt(arg), queue.list(QueueState.HOLD).size(),
            where);
        case "M~" -> assertFind(arg, new String(last(queue).readContent(), StandardCharsets.UTF_8),
            where);
        case "E~" -> assertFind(arg, dump(last(queue)), where);
        case "L~" -> assertLog(arg, where);
        default -> fail("unknown script line " + where);
      }
    }
  }

  /** One reply line without CRLF; null at end of input. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b;
      try {
        b = in.read();
      } catch (SocketException e) {
        b = -1; // reset by the server after it hung up on unread input
      }
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
  }

  private static QueueFile last(QueueDirectory queue) throws IOException {
    List<QueueId> ids = new ArrayList<>(queue.list(QueueState.INCOMING));
    ids.addAll(queue.list(QueueState.HOLD));
    assertTrue(!ids.isEmpty(), "nothing queued");
    QueueId id = ids.stream().max(QueueId::compareTo).orElseThrow();
    Path file = queue.file(QueueState.INCOMING, id);
    return QueueFileReader.read(Files.exists(file) ? file : queue.file(QueueState.HOLD, id));
  }

  private static String dump(QueueFile file) {
    StringBuilder s = new StringBuilder("sender <" + file.envelope().sender() + ">\n");
    for (Recipient r : file.envelope().recipients()) {
      s.append("rcpt <").append(r.address()).append("> orig=<").append(r.original())
          .append("> notify=").append(r.notifyList()).append('\n');
    }
    new TreeMap<>(file.envelope().attributes())
        .forEach((k, v) -> s.append("attr ").append(k).append('=').append(v).append('\n'));
    return s.toString();
  }

  private static void assertFind(String regex, String text, String where) {
    assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(),
        where + "\n--- in ---\n" + text);
  }

  private void assertLog(String regex, String where) throws Exception {
    Pattern p = Pattern.compile(regex);
    Path log = root.resolve("log/maillog");
    String text = "";
    for (int i = 0; i < 60; i++) {
      text = Files.exists(log) ? Files.readString(log) : "";
      if (text.lines().anyMatch(l -> p.matcher(l).find())) {
        return;
      }
      Thread.sleep(50);
    }
    fail(where + "\n--- log ---\n" + text);
  }

  private static byte[] unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\\' || i + 1 == bytes.length) {
        out.write(bytes[i]);
        continue;
      }
      char c = (char) bytes[++i];
      out.write(switch (c) {
        case 'r' -> '\r';
        case 'n' -> '\n';
        case '0' -> 0;
        case 't' -> '\t';
        default -> c;
      });
    }
    return out.toByteArray();
  }

  /** main.cf, a users file with the invoking user (the daemon's uid: trusted), the queue. */
  private Config instance(List<String> extra) throws Exception {
    ProcessIdentity me = ProcessIdentity.current();
    Files.writeString(root.resolve("users"),
        me.name() + ":x:" + me.uid() + ":" + me.gid() + "::" + root + ":/bin/sh\n"
            + "alice:x:" + me.uid() + ":" + me.gid() + "::" + root + ":/bin/sh\n");
    Files.createDirectories(root.resolve("log"));
    Files.createDirectories(root.resolve("mail"));
    StringBuilder cf = new StringBuilder("root = " + root + "\n"
        + "myhostname = mail.example.org\nmyorigin = example.org\n"
        + "mydestination = mail.example.org, example.org, localhost\n"
        + "queue_directory = queue\nmail_spool_directory = mail\nlocal_users_file = users\n"
        + "alias_maps = hash:aliases\nmaillog_file = log/maillog\n"
        + "mail_owner = " + me.name() + "\n"
        + "smtpd_listen = 127.0.0.1:0\nsmtpd_peername_lookup = no\n"
        + "smtpd_error_sleep_time = 0s\nsmtpd_timeout = 5s\n");
    extra.forEach(l -> cf.append(l).append('\n'));
    if (extra.stream().anyMatch(l -> l.contains("test-cert.pem"))) {
      TestCertificates.create(root, "test", TestCertificates.KeyFormat.RSA_PKCS8);
    }
    Files.writeString(root.resolve("main.cf"), cf.toString());
    new QueueDirectory(root.resolve("queue")).create();
    return Config.load(root);
  }
}
