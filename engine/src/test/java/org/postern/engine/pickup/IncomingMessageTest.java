package org.postern.engine.pickup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.Config;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;
import org.postern.maps.passwd.PasswdFile;

/**
 * A message streamed through cleanup into its queue file ({@link Pickup#open}) gives, byte
 * for byte, the queue file the array path (the whole message in memory, cleaned, then
 * written) gave before streaming: {@code bcc-removed-local.queue} and the SHA-256 below were
 * written by that path for the same input, clock and queue id. A message closed without its
 * commit leaves nothing in incoming/, not even a temp file.
 */
class IncomingMessageTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T02:51:14Z"), ZoneId.of("Europe/Berlin"));
  private static final Envelope ENVELOPE = new Envelope(1, 1234, "carol", "carol@example.org",
      List.of(new Recipient("dave@example.org"), new Recipient("erin", "Erin", "success")),
      Map.of(Envelope.ATTR_SENDER_SET, "1", Envelope.ATTR_ENVID, "E1"));
  /** SHA-256 and length of the array path's queue file for {@link #largeSmtpMessage}. */
  private static final String LARGE_SMTP_SHA256 =
      "286b4684a50e2dc8ee30baada6bd99945caecb3cab2aa1767481291514c6ebc9";
  private static final long LARGE_SMTP_LENGTH = 1_500_290;

  @TempDir Path root;
  private QueueDirectory queue;
  private Pickup pickup;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(root.resolve("main.cf"),
        "myhostname = mail.example.org\nmyorigin = example.org\ntrusted_users = root\n");
    Path users = root.resolve("users");
    Files.writeString(users, "carol:x:1234:100:Carol Example:/home/carol:/bin/sh\n");
    queue = new QueueDirectory(root.resolve("queue"));
    queue.create();
    pickup = new Pickup(queue, new Cleanup(Config.load(root), PasswdFile.load(users), CLOCK),
        MailLog.to(System.err, "pickup"), CLOCK);
  }

  @Test
  void writesTheSameQueueFileAsTheArrayPathForALocalSubmission() throws Exception {
    QueueId id = new QueueId("0ABCDEFGHIJ12345");
    byte[] content = goldenContent("bcc-removed-with-continuation-lines");

    stream(id, content, 1234, Cleanup.Origin.LOCAL, 5);

    assertArrayEquals(resource("bcc-removed-local.queue"),
        Files.readAllBytes(queue.file(QueueState.INCOMING, id)));
  }

  @Test
  void writesTheSameQueueFileAsTheArrayPathForALargeSmtpMessage() throws Exception {
    QueueId id = new QueueId("0SMTPABCDEFGH678");

    stream(id, largeSmtpMessage(), 0, Cleanup.Origin.SMTP, 8192);

    byte[] file = Files.readAllBytes(queue.file(QueueState.INCOMING, id));
    assertEquals(LARGE_SMTP_LENGTH, file.length);
    assertEquals(LARGE_SMTP_SHA256,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
  }

  @Test
  void leavesNothingInIncomingWhenClosedWithoutCommit() throws Exception {
    try (MessageSink message = pickup.open(new QueueId("0ABCDEFGHIJ12345"), ENVELOPE, 1234,
        Cleanup.Origin.LOCAL, QueueState.INCOMING)) {
      message.content().write(largeSmtpMessage());
      assertEquals(1, incoming().size()); // the temp file, being written
    }
    assertEquals(List.of(), incoming());
  }

  /** Streams {@code content} in {@code chunk}-byte writes and commits it. */
  private void stream(QueueId id, byte[] content, int uid, Cleanup.Origin origin, int chunk)
      throws Exception {
    try (MessageSink message = pickup.open(id, ENVELOPE, uid, origin, QueueState.INCOMING)) {
      for (int i = 0; i < content.length; i += chunk) {
        message.content().write(content, i, Math.min(chunk, content.length - i));
      }
      message.commit();
    }
  }

  /** An SMTP message of 1.5 MB: smtpd's Received header, a Bcc to drop, a long body. */
  private static byte[] largeSmtpMessage() {
    StringBuilder b = new StringBuilder("Received: from c (unknown [192.0.2.1])\n\tby "
        + "mail.example.org (Postern) with ESMTP id 0SMTPABCDEFGH678; Wed, 25 Nov 2026 09:00:00"
        + " +0000 (UTC)\nSubject: big\nBcc: hidden@example.org\n\n");
    for (int i = 0; b.length() < 1_500_000; i++) {
      b.append("line ").append(i).append(" ").append("x".repeat(i % 97)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private List<Path> incoming() throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("queue").resolve("incoming"))) {
      return s.toList();
    }
  }

  /** The content part of a cleanup golden input (after its "---" line). */
  private static byte[] goldenContent(String name) throws IOException {
    try (InputStream in = Cleanup.class.getResourceAsStream("golden/" + name + ".input")) {
      String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return all.substring(all.indexOf("---\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = IncomingMessageTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
