package org.postern.engine.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueFileTest {
  @TempDir Path dir;

  private static final Envelope ENVELOPE =
      new Envelope(
          1_764_039_074_123L,
          1000,
          "alice",
          "alice@example.org",
          List.of(
              new Recipient("bob@example.org", "Bob", ""),
              new Recipient("carol@example.org", "carol@example.org", "success,failure"),
              new Recipient("dave@example.net", "dave@example.net", "never")),
          Map.of(
              Envelope.ATTR_RET, "hdrs",
              Envelope.ATTR_ENVID, "QQ314159",
              Envelope.ATTR_BODY, "8BITMIME",
              Envelope.ATTR_FULLNAME, "Al=ice \u00c9xample"));

  /** Every byte value, NUL and 8-bit included, a CR, and lines of several lengths. */
  private static byte[] awkwardContent() {
    byte[] b = new byte[256 * 3 + 20];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 7);
    }
    byte[] tail = "\nSubject: x\r\n\n\0body\n".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(tail, 0, b, b.length - tail.length, tail.length);
    return b;
  }

  private Path write(String name, Envelope env, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    QueueFileWriter.write(file, QueueDirectory.FILE_MODE, env, out -> out.write(content));
    return file;
  }

  @Test
  void readFromAnOpenFileServesThatFileEvenAfterItsNameIsReplaced() throws IOException {
    byte[] content = awkwardContent();
    Path file = write("q", ENVELOPE, content);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      QueueFile q = QueueFileReader.read(file, ch);
      // The name now leads elsewhere (a swap after validation): nothing is read by name.
      Files.delete(file);
      Files.writeString(file, "root:secret:...\n");

      assertEquals(ENVELOPE.recipients(), q.envelope().recipients());
      assertArrayEquals(content, q.readContent());
      try (InputStream a = q.openContent(); InputStream b = q.openContent()) {
        assertEquals(content[0] & 0xff, a.read());
        assertArrayEquals(content, b.readAllBytes(), "readers do not move each other");
      }
    }
  }

  @Test
  void readFromAnOpenFileRefusesADamagedOne() throws IOException {
    Path file = write("q", ENVELOPE, "x\n".getBytes(StandardCharsets.US_ASCII));
    byte[] b = Files.readAllBytes(file);
    b[b.length - 3] ^= 1;
    Files.write(file, b);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file, ch));
    }
  }

  @Test
  void readsBackTheEnvelopeItWrote() throws IOException {
    Path file = write("q", ENVELOPE, "x\n".getBytes(StandardCharsets.US_ASCII));

    QueueFile q = QueueFileReader.read(file);

    assertEquals(ENVELOPE, q.envelope());
    assertEquals(file, q.path());
    assertEquals("success,failure", q.envelope().recipients().get(1).notifyList());
    assertEquals("Bob", q.envelope().recipients().get(0).original());
    assertEquals("Al=ice \u00c9xample", q.envelope().attribute(Envelope.ATTR_FULLNAME));
  }

  @Test
  void keepsContentByteExactIncludingNulAnd8Bit() throws IOException {
    byte[] content = awkwardContent();
    QueueFile q = QueueFileReader.read(write("q", ENVELOPE, content));

    assertArrayEquals(content, q.readContent());
    assertEquals(content.length, q.contentLength());
    try (InputStream in = q.openContent()) {
      byte[] buf = new byte[content.length + 100];
      int n = in.readNBytes(buf, 0, buf.length);
      assertEquals(content.length, n, "the stream stops at the end of the content");
      assertEquals(-1, in.read());
    }
  }

  @Test
  void keepsEmptyContent() throws IOException {
    QueueFile q = QueueFileReader.read(write("q", ENVELOPE, new byte[0]));

    assertEquals(0, q.contentLength());
    assertArrayEquals(new byte[0], q.readContent());
  }

  @Test
  void keepsTheNullSenderAndAnEnvelopeWithoutAttributes() throws IOException {
    Envelope bounce =
        new Envelope(5, 0, "MAILER-DAEMON", "", List.of(new Recipient("alice@example.org")),
            Map.of());
    QueueFile q = QueueFileReader.read(write("q", bounce, "b\n".getBytes(StandardCharsets.UTF_8)));

    assertEquals(bounce, q.envelope());
    assertTrue(q.envelope().isNullSender());
  }

  @Test
  void keepsAContentLargerThanTheReadBuffers() throws IOException {
    byte[] content = new byte[300_000];
    Arrays.fill(content, (byte) 'x');
    content[content.length - 1] = '\n';

    assertArrayEquals(content, QueueFileReader.read(write("q", ENVELOPE, content)).readContent());
  }

  @Test
  void writesTheFileWithTheRequestedModeAndLeavesNoTempFile() throws IOException {
    Path file = write("q", ENVELOPE, new byte[] {'a', '\n'});

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var names = Files.list(dir)) {
      assertEquals(List.of("q"), names.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void everyTruncationIsACorruptFile() throws IOException {
    byte[] whole = Files.readAllBytes(write("whole", ENVELOPE, "Subject: s\n\nbody\n".getBytes(
        StandardCharsets.US_ASCII)));
    Path cut = dir.resolve("cut");
    for (int len = 0; len < whole.length; len++) {
      Files.write(cut, Arrays.copyOf(whole, len));
      try {
        QueueFile q = QueueFileReader.read(cut);
        fail("prefix of " + len + "/" + whole.length + " bytes accepted: " + q);
      } catch (CorruptQueueFileException expected) {
        assertTrue(expected.getMessage().startsWith(cut + ": corrupt queue file: "),
            expected.getMessage());
      } catch (IOException | RuntimeException e) {
        fail("prefix of " + len + " bytes: " + e, e);
      }
    }
  }

  @Test
  void aFlippedContentByteFailsTheChecksum() throws IOException {
    Path file = write("q", ENVELOPE, "Subject: s\n\nbody\n".getBytes(StandardCharsets.US_ASCII));
    byte[] b = Files.readAllBytes(file);
    b[b.length - 13] ^= 0x01; // inside the content, just before the end record

    Files.write(file, b);

    assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
  }

  @Test
  void aFlippedBitAnywhereIsDetected() throws IOException {
    byte[] whole = Files.readAllBytes(write("whole", ENVELOPE, "Subject: s\n\nbody\n".getBytes(
        StandardCharsets.US_ASCII)));
    Path damaged = dir.resolve("damaged");
    for (int i = 0; i < whole.length; i++) {
      byte[] b = whole.clone();
      b[i] ^= 0x10;
      Files.write(damaged, b);
      try {
        QueueFileReader.read(damaged);
        fail("bit flip at offset " + i + " accepted");
      } catch (CorruptQueueFileException expected) {
        // detected, as it must be
      } catch (IOException | RuntimeException e) {
        fail("bit flip at offset " + i + ": " + e, e);
      }
    }
  }

  @Test
  void anUnknownVersionIsCorrupt() throws IOException {
    Path file = dir.resolve("v2");
    Files.write(file, RawQueueFile.standard("2").record('R', "bob@example.org\0bob\0")
        .content("x\n".getBytes(StandardCharsets.US_ASCII)));

    CorruptQueueFileException e =
        assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
    assertTrue(e.getMessage().contains("unknown version 2"), e.getMessage());
  }

  @Test
  void aHandBuiltFileInTheCurrentVersionIsAccepted() throws IOException {
    // The fixture itself must be right, or the tests using it prove nothing.
    Path file = dir.resolve("v1");
    Files.write(file, RawQueueFile.standard("1").record('R', "bob@example.org\0bob\0")
        .content("x\n".getBytes(StandardCharsets.US_ASCII)));

    QueueFile q = QueueFileReader.read(file);
    assertEquals(List.of(new Recipient("bob@example.org", "bob", "")), q.envelope().recipients());
  }

  @Test
  void garbageIsCorrupt() throws IOException {
    Path file = dir.resolve("garbage");
    byte[] b = new byte[4096];
    new java.util.Random(42).nextBytes(b);
    Files.write(file, b);

    assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
  }

  @Test
  void aTextFileIsCorrupt() throws IOException {
    Path file = dir.resolve("text");
    Files.writeString(file, "From: alice\nSubject: not a queue file\n\nhello\n");

    assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
  }

  @Test
  void anEnvelopeWithoutRecipientsIsCorrupt() throws IOException {
    Path file = dir.resolve("norcpt");
    Files.write(file,
        RawQueueFile.standard("1").content("x\n".getBytes(StandardCharsets.US_ASCII)));

    assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
  }

  @Test
  void anOverlongRecordLengthIsCorruptNotAnAllocation() throws IOException {
    Path file = dir.resolve("long");
    // 'V' with a varint length of 2^27 - 1: far beyond any envelope record.
    Files.write(file, new byte[] {'V', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, '1', '1',
        '1', '1', '1', '1', '1', '1', '1', '1'});

    assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
  }

  /**
   * A maildrop file is written by any local user, so a record the writer would never produce
   * (a recipient field holding a line break) must be refused as corrupt, not escape as an
   * IllegalArgumentException from the Recipient record that pickup and qmgr do not catch.
   */
  @Test
  void aRecipientRecordWithALineBreakIsCorrupt() throws IOException {
    Path file = dir.resolve("lf");
    Files.write(file, RawQueueFile.standard("1").record('R', "bob@example.org\0bob\nX: y\0")
        .content("x\n".getBytes(StandardCharsets.US_ASCII)));

    assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
  }

  @Test
  void anEmptyFileIsCorrupt() throws IOException {
    Path file = dir.resolve("empty");
    Files.write(file, new byte[0]);

    CorruptQueueFileException e =
        assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
    assertFalse(e.getMessage().isEmpty());
  }
}
