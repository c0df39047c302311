package org.postern.engine.smtpd;

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
 * flushed), and raw bytes for DATA and BDAT. After STARTTLS it switches to the TLS streams.
 *
 * <p>Trusts nothing it reads; never holds more than one line and one read buffer, which it
 * owns so that plaintext read ahead can be thrown away at STARTTLS (CVE-2011-0411). Timeouts
 * are the socket's (an InterruptedIOException from a read); end of input is an EOFException.
 * One per session; not thread-safe.
 */
final class SmtpChannel {
  /** A command line as read; {@code tooLong}: it was cut at the limit. */
  record CommandLine(String text, boolean tooLong) {}

  private final byte[] buffer = new byte[8192];
  private int position;
  private int limit;
  private InputStream in;
  private OutputStream out;
  private final int lineLimit;

  SmtpChannel(InputStream in, OutputStream out, int lineLimit) {
    this.in = in;
    this.out = new BufferedOutputStream(out, 8192);
    this.lineLimit = lineLimit;
  }

  CommandLine readCommand() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    boolean tooLong = false;
    while (true) {
      int b = readByte();
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

  /** The next byte of a command, or of DATA or BDAT content. */
  int readByte() throws IOException {
    if (position == limit) {
      int n = in.read(buffer, 0, buffer.length);
      if (n < 0) {
        throw new EOFException();
      }
      position = 0;
      limit = n;
    }
    return buffer[position++] & 0xFF;
  }

  /** Whether the client has already sent more (RFC 2920 §3.1 synchronisation points). */
  boolean hasPendingInput() throws IOException {
    return position < limit || in.available() > 0;
  }

  /**
   * Drops what was read ahead and not yet consumed; the number of bytes dropped. Bytes
   * still in the kernel are left alone: after STARTTLS the TLS layer reads them as records
   * (plaintext there fails the handshake, it is never taken as commands).
   */
  int discardBuffered() {
    int dropped = limit - position;
    position = 0;
    limit = 0;
    return dropped;
  }

  /** Continues over new streams (TLS); nothing of the old input may be left buffered. */
  void upgrade(InputStream tlsIn, OutputStream tlsOut) {
    if (position != limit) {
      throw new IllegalStateException("plaintext left in the buffer at STARTTLS");
    }
    this.in = tlsIn;
    this.out = new BufferedOutputStream(tlsOut, 8192);
  }

  /** Sends one reply line (or several joined by CRLF), flushed. */
  void reply(String text) throws IOException {
    out.write(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    out.write('\r');
    out.write('\n');
    out.flush();
  }
}
