package org.postern.engine.queue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * Reads a queue file back and validates it completely before anyone uses it: record order,
 * lengths, the end record and its CRC over the whole file. For a listing, {@link #readHead}
 * reads the envelope only.
 *
 * <p>Trusts nothing in the file (a maildrop file is written by an unprivileged user).
 * Any deviation is a {@link CorruptQueueFileException}; other IOExceptions are temporary.
 * Stateless.
 */
public final class QueueFileReader {
  /** Enough for the envelope of nearly every message in one read. */
  private static final int HEAD_BUFFER = 8192;

  private QueueFileReader() {}

  public static QueueFile read(Path path) throws IOException {
    long size = Files.size(path);
    try (InputStream in = Files.newInputStream(path)) {
      return read(path, size, in, Optional.empty());
    }
  }

  /**
   * Reads the queue file open as {@code channel} ({@code name} only names it in messages):
   * the returned QueueFile serves its content from the same channel, never by name, and is
   * usable until the caller closes the channel.
   */
  public static QueueFile read(Path name, FileChannel channel) throws IOException {
    long size = channel.size();
    return read(name, size, new ChannelRange(channel, 0, size, false), Optional.of(channel));
  }

  /**
   * The envelope and the content's place in the queue file open as {@code channel}, for a
   * listing: reads the envelope records and the end record's shape (its CRC's 8 hex digits
   * are not compared), nothing of the content. A damaged envelope, a short file or a
   * missing end record is a CorruptQueueFileException; a damaged body goes unnoticed here
   * and is found by {@link #read} before any delivery. The channel stays the caller's.
   */
  public static QueueFileHead readHead(Path name, FileChannel channel) throws IOException {
    long size = channel.size();
    checkSize(name, size);
    InputStream in = new BufferedInputStream(
        new ChannelRange(channel, 0, size, false), (int) Math.min(HEAD_BUFFER, size));
    Parsed p = envelope(name, in);
    long contentLength = contentLength(name, size, p);
    byte[] end = new ChannelRange(channel, size - QueueFileFormat.END_RECORD_LENGTH,
        QueueFileFormat.END_RECORD_LENGTH, false).readNBytes(QueueFileFormat.END_RECORD_LENGTH);
    if (!isEndRecord(end)) {
      throw new CorruptQueueFileException(name, "missing or bad end record");
    }
    return new QueueFileHead(p.envelope, p.offset, contentLength, channel);
  }

  private static QueueFile read(Path path, long size, InputStream raw,
      Optional<FileChannel> open) throws IOException {
    checkSize(path, size);
    CRC32 crc = new CRC32();
    CheckedInputStream in =
        new CheckedInputStream(new BufferedInputStream(raw, (int) Math.min(65536, size)), crc);
    Parsed p = envelope(path, in);
    long contentLength = contentLength(path, size, p);
    skipFully(path, in, contentLength);
    long expected = crc.getValue();
    byte[] end = in.readNBytes(QueueFileFormat.END_RECORD_LENGTH);
    if (!isEndRecord(end)
        || !new String(end, 1, 8, StandardCharsets.US_ASCII)
            .equals(String.format("%08x", expected))) {
      throw new CorruptQueueFileException(path, "missing or bad end record");
    }
    return new QueueFile(path, p.envelope, p.offset, contentLength, open);
  }

  private record Parsed(Envelope envelope, long offset) {}

  private static void checkSize(Path path, long size) throws CorruptQueueFileException {
    if (size < QueueFileFormat.END_RECORD_LENGTH + 1) {
      throw new CorruptQueueFileException(path, "short file (" + size + " bytes)");
    }
  }

  private static Parsed envelope(Path path, InputStream in) throws IOException {
    try {
      return parseEnvelope(path, in);
    } catch (IllegalArgumentException e) {
      // A record the envelope types refuse (a line break in an address, ...): damage or a
      // forged maildrop file, never a reason to stop the queue.
      throw new CorruptQueueFileException(path, "bad record: " + e.getMessage());
    }
  }

  private static long contentLength(Path path, long size, Parsed p)
      throws CorruptQueueFileException {
    long contentLength = size - p.offset - QueueFileFormat.END_RECORD_LENGTH;
    if (contentLength < 0) {
      throw new CorruptQueueFileException(path, "no content record");
    }
    return contentLength;
  }

  /** {@code 'E'}, 8 lower-case hex digits, LF: the shape of an end record. */
  private static boolean isEndRecord(byte[] end) {
    if (end.length != QueueFileFormat.END_RECORD_LENGTH || end[0] != QueueFileFormat.END
        || end[9] != '\n') {
      return false;
    }
    for (int i = 1; i < 9; i++) {
      if (Character.digit(end[i], 16) < 0 || Character.isUpperCase(end[i])) {
        return false;
      }
    }
    return true;
  }

  private static Parsed parseEnvelope(Path path, InputStream in) throws IOException {
    long offset = 0;
    String version = null;
    Long arrival = null;
    Integer uid = null;
    String login = null;
    String sender = null;
    Map<String, String> attrs = new HashMap<>();
    List<Recipient> rcpts = new ArrayList<>();
    while (true) {
      int type = in.read();
      offset++;
      if (type == QueueFileFormat.CONTENT) {
        break;
      }
      if (type < 0) {
        throw new CorruptQueueFileException(path, "premature end of envelope");
      }
      int[] lenBytes = new int[1];
      int len = readLength(path, in, lenBytes);
      byte[] payload = in.readNBytes(len);
      if (payload.length != len) {
        throw new CorruptQueueFileException(path, "truncated record");
      }
      offset += lenBytes[0] + len;
      String text = new String(payload, StandardCharsets.UTF_8);
      if (version == null && type != QueueFileFormat.VERSION) {
        throw new CorruptQueueFileException(path, "no version record");
      }
      switch (type) {
        case QueueFileFormat.VERSION:
          if (!text.equals(QueueFileFormat.CURRENT_VERSION)) {
            throw new CorruptQueueFileException(path, "unknown version " + text);
          }
          version = text;
          break;
        case QueueFileFormat.ARRIVAL:
          arrival = parseLong(path, text);
          break;
        case QueueFileFormat.UID:
          uid = (int) parseLong(path, text);
          break;
        case QueueFileFormat.LOGIN:
          login = text;
          break;
        case QueueFileFormat.SENDER:
          sender = text;
          break;
        case QueueFileFormat.ATTRIBUTE:
          int eq = text.indexOf('=');
          if (eq <= 0) {
            throw new CorruptQueueFileException(path, "bad attribute record");
          }
          attrs.put(text.substring(0, eq), text.substring(eq + 1));
          break;
        case QueueFileFormat.RECIPIENT:
          String[] f = text.split("\0", -1);
          if (f.length != 3 || f[0].isEmpty()) {
            throw new CorruptQueueFileException(path, "bad recipient record");
          }
          rcpts.add(new Recipient(f[0], f[1], f[2]));
          break;
        default:
          throw new CorruptQueueFileException(path, "unknown record type " + type);
      }
    }
    if (arrival == null || uid == null || login == null || sender == null || rcpts.isEmpty()) {
      throw new CorruptQueueFileException(path, "incomplete envelope");
    }
    return new Parsed(new Envelope(arrival, uid, login, sender, rcpts, attrs), offset);
  }

  private static int readLength(Path path, InputStream in, int[] count) throws IOException {
    int n = 0;
    for (int shift = 0; shift < 28; shift += 7) {
      int b = in.read();
      count[0]++;
      if (b < 0) {
        throw new CorruptQueueFileException(path, "truncated record length");
      }
      n |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (n > QueueFileFormat.MAX_RECORD) {
          throw new CorruptQueueFileException(path, "record too long");
        }
        return n;
      }
    }
    throw new CorruptQueueFileException(path, "bad record length");
  }

  private static long parseLong(Path path, String text) throws CorruptQueueFileException {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new CorruptQueueFileException(path, "bad number " + text);
    }
  }

  private static void skipFully(Path path, InputStream in, long n) throws IOException {
    byte[] buf = new byte[65536];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new CorruptQueueFileException(path, "truncated content");
      }
      n -= r;
    }
  }
}
