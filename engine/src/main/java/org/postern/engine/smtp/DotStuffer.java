package org.postern.engine.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies message content into an SMTP DATA stream (RFC 5321 §4.5.2): every line end becomes
 * CRLF (the queue holds LF; CRLF input is left as is), a line that starts with '.' gets one
 * more, a last line without a line end gets one, and a line longer than RFC 5321's 998
 * octets is broken by inserting CRLF SPACE (Postfix's smtp_line_length_limit default, which
 * spares MIME structure). The terminating "." is the caller's.
 *
 * <p>Streams in fixed-size buffers, so a message is never held in memory. Trusts nothing about
 * the content: a bare CR is passed on unchanged. One instance per copy; not thread-safe.
 */
final class DotStuffer {
  private static final int BUFFER = 8192;
  /** RFC 5321 §4.5.3.1.6: 1000 octets per line with the CRLF. */
  private static final int LINE_LIMIT = 998;

  private final OutputStream out;
  private final byte[] pending = new byte[BUFFER * 2 + 4];
  private int fill;
  private boolean lineStart = true;
  private boolean afterCr;
  private int lineLength;

  private DotStuffer(OutputStream out) {
    this.out = out;
  }

  /** Writes all of {@code in} to {@code out}, stuffed and CRLF-terminated. */
  static void copy(InputStream in, OutputStream out) throws IOException {
    DotStuffer s = new DotStuffer(out);
    byte[] buf = new byte[BUFFER];
    for (int n; (n = in.read(buf)) > 0; ) {
      for (int i = 0; i < n; i++) {
        s.put(buf[i]);
      }
      s.drain();
    }
    s.finish();
  }

  private void put(byte b) {
    if (b == '\n') {
      if (!afterCr) {
        pending[fill++] = '\r';
      }
      pending[fill++] = '\n';
      lineStart = true;
      afterCr = false;
      lineLength = 0;
      return;
    }
    if (lineLength >= LINE_LIMIT) {
      pending[fill++] = '\r';
      pending[fill++] = '\n';
      pending[fill++] = ' ';
      lineLength = 1;
    }
    lineLength++;
    if (lineStart && b == '.') {
      pending[fill++] = '.'; // RFC 5321 §4.5.2: transparency
    }
    pending[fill++] = b;
    lineStart = false;
    afterCr = b == '\r';
  }

  private void drain() throws IOException {
    out.write(pending, 0, fill);
    fill = 0;
  }

  private void finish() throws IOException {
    if (!lineStart) {
      if (!afterCr) {
        pending[fill++] = '\r';
      }
      pending[fill++] = '\n';
    }
    drain();
  }
}
