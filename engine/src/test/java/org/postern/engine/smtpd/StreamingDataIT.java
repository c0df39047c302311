package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueState;
import org.postern.maps.io.DurableFiles;

/**
 * DATA and BDAT stream into the queue file while the client is still sending (issue 14,
 * item 7): the temp file in incoming/ grows with the message, never past message_size_limit
 * (plus the envelope and our Received header), is removed when the message is refused, cut
 * off or reset, and becomes the queue file only at the 250.
 */
class StreamingDataIT {
  private static final String LINE = "x".repeat(78) + "\r\n";
  private static final int LIMIT = 200_000;

  @TempDir Path root;

  @Test
  void writesTheQueueFileWhileDataIsStillArriving() throws Exception {
    ListenerInstance inst = ListenerInstance.create(root, "message_size_limit = 10000000");
    try (SmtpListener listener = inst.listen(); SmtpTestClient c = client(listener)) {
      start(c, "DATA");
      c.write("Subject: streamed\r\n\r\n" + LINE.repeat(20_000)); // 1.6 MB, no end yet

      // The temp file holds (nearly) all of it before the end of DATA was sent.
      assertTrue(awaitTempFileOf(inst, 1_500_000), "no growing temp file in incoming/");
      assertEquals(List.of(), queued(inst));

      c.write(".\r\n");
      assertTrue(c.reply().get(0).startsWith("250 2.0.0 Ok: queued as "));
      assertEquals(List.of(), tempFiles(inst));
      Path file = queued(inst).get(0);
      String content = new String(QueueFileReader.read(file).readContent(),
          StandardCharsets.US_ASCII);
      assertTrue(content.startsWith("Received: from client.example"), content.substring(0, 40));
      assertTrue(content.contains("\nSubject: streamed\n"), content.substring(0, 600));
      assertEquals(("x".repeat(78) + "\n").repeat(20_000),
          content.substring(content.indexOf("\n\n") + 2));
    }
  }

  @Test
  void refusesAnOversizedMessageWhileStreamingAndRemovesItsTempFile() throws Exception {
    ListenerInstance inst = ListenerInstance.create(root, "message_size_limit = " + LIMIT);
    try (SmtpListener listener = inst.listen(); SmtpTestClient c = client(listener)) {
      start(c, "DATA");
      c.write("Subject: too big\r\n\r\n" + LINE.repeat(10_000)); // 800 kB against 200 kB

      // Written up to the limit (less what is still buffered), then no further: the rest is
      // read and thrown away.
      assertTrue(awaitTempFileOf(inst, LIMIT / 2), "no temp file in incoming/");
      Thread.sleep(300);
      long size = Files.size(tempFiles(inst).get(0));
      assertTrue(size <= LIMIT + 4096, "temp file grew to " + size);

      c.write(".\r\n");
      assertEquals(List.of("552 5.3.4 Error: message file too big"), c.reply());
      assertEquals(List.of(), incomingEntries(inst));
      // The session goes on.
      assertEquals("250 2.0.0 Ok", c.command("RSET").get(0));
      assertTrue(c.send("bob@example.net", "alice@example.org", "Subject: small\n\nfits\n")
          .startsWith("250 "));
      assertEquals(1, queued(inst).size());
    }
  }

  @Test
  void removesTheTempFileOfAMessageCutOffMidData() throws Exception {
    ListenerInstance inst = ListenerInstance.create(root);
    try (SmtpListener listener = inst.listen()) {
      try (SmtpTestClient c = client(listener)) {
        start(c, "DATA");
        c.write("Subject: cut off\r\n\r\n" + LINE.repeat(2_000));
        assertTrue(awaitTempFileOf(inst, 100_000), "no temp file in incoming/");
      }
      assertTrue(inst.awaitLog("lost connection after DATA").contains("lost connection"));
      assertEquals(List.of(), incomingEntries(inst));
    }
  }

  @Test
  void removesTheTempFileOfBdatChunksWhenTheTransactionIsReset() throws Exception {
    ListenerInstance inst = ListenerInstance.create(root);
    try (SmtpListener listener = inst.listen(); SmtpTestClient c = client(listener)) {
      start(c, null);
      String chunk = "Subject: chunked\r\n\r\n" + LINE.repeat(1_000);
      c.write("BDAT " + chunk.length() + "\r\n" + chunk);
      assertEquals(List.of("250 2.0.0 Ok: " + chunk.length() + " bytes"), c.reply());
      assertEquals(1, tempFiles(inst).size());

      assertEquals("250 2.0.0 Ok", c.command("RSET").get(0));
      assertEquals(List.of(), incomingEntries(inst));

      // A whole BDAT message still goes through, streamed across its chunks.
      start(c, null);
      c.write("BDAT " + chunk.length() + "\r\n" + chunk);
      c.reply();
      c.write("BDAT 5 LAST\r\nend\r\n");
      assertTrue(c.reply().get(0).startsWith("250 2.0.0 Ok: queued as "));
      String content = new String(QueueFileReader.read(queued(inst).get(0)).readContent(),
          StandardCharsets.US_ASCII);
      assertTrue(content.endsWith("x".repeat(78) + "\nend\n"), content);
      assertEquals(List.of(), tempFiles(inst));
    }
  }

  private static SmtpTestClient client(SmtpListener listener) throws IOException {
    InetSocketAddress at = listener.addresses().get(0);
    SmtpTestClient c = new SmtpTestClient(at);
    c.line();
    c.command("EHLO client.example");
    return c;
  }

  /** MAIL and RCPT, then {@code command} (DATA) if given. */
  private static void start(SmtpTestClient c, String command) throws IOException {
    assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<bob@example.net>").get(0));
    assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<alice@example.org>").get(0));
    if (command != null) {
      assertEquals("354", c.command(command).get(0).substring(0, 3));
    }
  }

  /** Waits up to 5 s for a temp file in incoming/ of at least {@code bytes}. */
  private static boolean awaitTempFileOf(ListenerInstance inst, long bytes) throws Exception {
    for (int i = 0; i < 100; i++) {
      for (Path temp : tempFiles(inst)) {
        if (Files.size(temp) >= bytes) {
          return true;
        }
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static List<Path> incomingEntries(ListenerInstance inst) throws IOException {
    try (Stream<Path> s = Files.list(inst.root.resolve("queue").resolve("incoming"))) {
      return s.toList();
    }
  }

  private static List<Path> tempFiles(ListenerInstance inst) throws IOException {
    return incomingEntries(inst).stream()
        .filter(p -> p.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX)).toList();
  }

  private static List<Path> queued(ListenerInstance inst) throws IOException {
    return incomingEntries(inst).stream()
        .filter(p -> !p.getFileName().toString().startsWith(DurableFiles.TEMP_PREFIX)).toList();
  }
}
