package org.postern.engine.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.posix.NotRegularFileException;

/** Listing reads: the envelope and the content's place, never the body or its CRC. */
class QueueFileHeadTest {
  private static final Envelope ENVELOPE = new Envelope(1_764_039_074_123L, 1000, "alice",
      "alice@example.org", List.of(new Recipient("bob@example.org", "Bob", "")),
      Map.of(Envelope.ATTR_BODY, "8BITMIME"));
  private static final byte[] CONTENT =
      "Subject: s\n\nbody\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private Path write(String name) throws IOException {
    Path file = dir.resolve(name);
    QueueFileWriter.write(file, QueueDirectory.FILE_MODE, ENVELOPE, out -> out.write(CONTENT));
    return file;
  }

  @Test
  void readsTheEnvelopeAndWhereTheContentLies() throws IOException {
    Path file = write("q");
    for (boolean foreign : new boolean[] {false, true}) {
      try (QueueFileHead head = foreign ? QueueFileHead.openForeign(file)
          : QueueFileHead.open(file); InputStream content = head.openContent()) {
        assertEquals(ENVELOPE, head.envelope());
        assertEquals(CONTENT.length, head.contentLength());
        assertArrayEquals(CONTENT, content.readAllBytes());
      }
    }
  }

  @Test
  void aDamagedBodyIsNotNoticedHereButByTheReaderThatDelivers() throws IOException {
    Path file = write("q");
    byte[] b = Files.readAllBytes(file);
    b[b.length - 13] ^= 0x01; // inside the content, just before the end record
    Files.write(file, b);

    try (QueueFileHead head = QueueFileHead.open(file)) {
      assertEquals(ENVELOPE, head.envelope());
    }
    assertThrows(CorruptQueueFileException.class, () -> QueueFileReader.read(file));
  }

  @Test
  void everyTruncationIsACorruptFile() throws IOException {
    byte[] whole = Files.readAllBytes(write("whole"));
    Path cut = dir.resolve("cut");
    for (int len = 0; len < whole.length; len++) {
      Files.write(cut, Arrays.copyOf(whole, len));
      try (QueueFileHead head = QueueFileHead.open(cut)) {
        fail("prefix of " + len + "/" + whole.length + " bytes accepted: " + head.envelope());
      } catch (CorruptQueueFileException expected) {
        // the envelope, the content record or the end record is missing
      }
    }
  }

  @Test
  void aLinkOrADirectoryIsNotARegularFile() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link"), write("q"));
    Path sub = Files.createDirectory(dir.resolve("sub"));

    for (Path p : List.of(link, sub)) {
      assertThrows(NotRegularFileException.class, () -> QueueFileHead.open(p).close());
      assertThrows(IOException.class, () -> QueueFileHead.openForeign(p).close());
    }
  }
}
