package org.postern.engine.smtp;

import java.io.IOException;
import java.io.InputStream;
import org.postern.engine.queue.QueueFile;

/**
 * The content of a message to send, read from its source (the queue file) each time it is
 * needed rather than held in memory, with what the client must know before sending it: its
 * size on the wire (CRLF line ends, for RFC 1870 SIZE) and whether it has 8-bit bytes (for
 * RFC 6152 BODY=8BITMIME).
 *
 * <p>Trusts its source to give the same bytes on every opening (a validated queue file does).
 * Immutable.
 */
public record MessageContent(Source source, long size, boolean eightBit) {
  /** Where the bytes come from; each call opens a new stream from the start. */
  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  /** The content of a validated queue file, scanned once for size and 8-bit bytes. */
  public static MessageContent of(QueueFile file) throws IOException {
    return scan(file::openContent);
  }

  /** Reads the source once to learn its wire size and whether it is 8-bit. */
  public static MessageContent scan(Source source) throws IOException {
    long size = 0;
    boolean eightBit = false;
    int prev = '\n';
    byte[] buf = new byte[8192];
    try (InputStream in = source.open()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          int c = buf[i] & 0xff;
          size += c == '\n' && prev != '\r' ? 2 : 1; // a bare LF goes out as CRLF
          eightBit |= c >= 0x80;
          prev = c;
        }
      }
    }
    if (prev != '\n') {
      size += 2; // DotStuffer ends the last line
    }
    return new MessageContent(source, size, eightBit);
  }
}
