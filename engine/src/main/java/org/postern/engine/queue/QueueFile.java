package org.postern.engine.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A validated queue file: its envelope, and where its content lies in the file.
 *
 * <p>Only {@link QueueFileReader} makes these, after checking the end record, so the content
 * range can be trusted. Immutable; the content is read from the file on demand.
 */
public record QueueFile(Path path, Envelope envelope, long contentOffset, long contentLength) {
  /** The message content (headers and body, LF line ends). */
  public InputStream openContent() throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    ch.position(contentOffset);
    InputStream in = Channels.newInputStream(ch);
    return new InputStream() {
      long left = contentLength;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int c = in.read();
        if (c >= 0) {
          left--;
        }
        return c;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  /** The whole content in memory (bounded by message_size_limit at submission). */
  public byte[] readContent() throws IOException {
    try (InputStream in = openContent()) {
      return in.readAllBytes();
    }
  }
}
