package org.postern.engine.postdrop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message from the sendmail command's standard input with sendmail 8's rules:
 * without -i a line holding only "." ends the input and a leading ".." becomes "."
 * (spec a.4); CRLF becomes LF; a missing final newline is completed; every
 * other byte (8-bit, NUL, very long lines) is kept exactly.
 *
 * <p>Trusts nothing in the input. Enforces the size limit while reading, so an oversized
 * message is refused without being held in memory. Not thread-safe (one per submission).
 */
public final class MessageInput {
  /** The input exceeded the size limit; nothing was stored. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long limit;

    TooLargeException(long limit) {
      super("message exceeds size limit " + limit);
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }

  private final boolean ignoreDots;
  private final long sizeLimit;

  /** {@code sizeLimit} 0 means unlimited (as Postfix's message_size_limit = 0). */
  public MessageInput(boolean ignoreDots, long sizeLimit) {
    this.ignoreDots = ignoreDots;
    this.sizeLimit = sizeLimit;
  }

  public byte[] read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[65536];
    LineState s = new LineState();
    int n;
    boolean ended = false;
    while (!ended && (n = in.read(buf)) > 0) {
      for (int i = 0; i < n && !ended; i++) {
        ended = accept(buf[i], s, out);
      }
      if (sizeLimit > 0 && out.size() > sizeLimit) {
        throw new TooLargeException(sizeLimit);
      }
    }
    if (!ended) {
      finish(s, out);
    }
    if (sizeLimit > 0 && out.size() > sizeLimit) {
      throw new TooLargeException(sizeLimit);
    }
    return out.toByteArray();
  }

  /** Where we are in the current line; dots and CRs are held back until decided. */
  private static final class LineState {
    boolean atLineStart = true;
    boolean pendingDot;
    boolean pendingCr;
  }

  /** Feeds one byte; returns true at the end-of-input dot line. */
  private boolean accept(byte b, LineState s, ByteArrayOutputStream out) {
    if (s.pendingCr) {
      s.pendingCr = false;
      if (b == '\n') {
        if (s.pendingDot) {
          return true; // ".\r\n" ends the message too
        }
      } else {
        if (s.pendingDot) {
          s.pendingDot = false;
          out.write('.');
        }
        out.write('\r'); // a bare CR is data, kept as is
        s.atLineStart = false;
      }
    }
    if (b == '\r') {
      s.pendingCr = true;
      return false;
    }
    if (s.atLineStart && !ignoreDots && b == '.' && !s.pendingDot) {
      s.pendingDot = true;
      s.atLineStart = false;
      return false;
    }
    if (s.pendingDot) {
      s.pendingDot = false;
      if (b == '\n') {
        return true; // a lone "." ends the message; the rest is discarded
      }
      if (b != '.') {
        out.write('.'); // sendmail 8 (collect.c) only turns ".." into "."; ".x" stays
      }
    }
    out.write(b);
    s.atLineStart = b == '\n';
    return false;
  }

  private void finish(LineState s, ByteArrayOutputStream out) {
    if (s.pendingDot) {
      return; // a lone "." (or ".\r") at EOF also ends the message
    }
    if (s.pendingCr) {
      out.write('\r');
      s.atLineStart = false;
    }
    if (out.size() > 0 && !s.atLineStart) {
      out.write('\n');
    }
  }
}
