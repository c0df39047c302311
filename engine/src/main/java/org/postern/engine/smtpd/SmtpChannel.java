package org.postern.engine.smtpd;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The byte level of one SMTP connection: command lines in (ended by LF, a CR before it
 * dropped; longer than line_length_limit: read to the end and flagged), replies out (CRLF,
 * flushed), and raw bytes for DATA and BDAT.
 *
 * <p>Trusts nothing it reads; never holds more than one line. Timeouts are the socket's
 * (an InterruptedIOException from a read); end of input is an EOFException. One per session;
 * not thread-safe.
 */
final class SmtpChannel {
  /** A command line as read; {@code tooLong}: it was cut at the limit. */
  record CommandLine(String text, boolean tooLong) {}

  private final InputStream in;
  private final OutputStream out;
  private final int lineLimit;

  SmtpChannel(InputStream in, OutputStream out, int lineLimit) {
    this.in = new BufferedInputStream(in, 8192);
    this.out = new BufferedOutputStream(out, 8192);
    this.lineLimit = lineLimit;
  }

  CommandLine readCommand() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    boolean tooLong = false;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      if (b == '\n') {
        break;
      }
      if (line.size() < lineLimit) {
        line.write(b);
      } else {
        tooLong = true;
      }
    }
    byte[] bytes = line.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    return new CommandLine(new String(bytes, 0, length, StandardCharsets.UTF_8), tooLong);
  }

  /** The next byte of DATA or BDAT content. */
  int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  /** Whether the client has already sent more (RFC 2920 §3.1 synchronisation points). */
  boolean hasPendingInput() throws IOException {
    return in.available() > 0;
  }

  /** Sends one reply line (or several joined by CRLF), flushed. */
  void reply(String text) throws IOException {
    out.write(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    out.write('\r');
    out.write('\n');
    out.flush();
  }
}
