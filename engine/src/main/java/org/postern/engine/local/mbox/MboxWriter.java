package org.postern.engine.local.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;

/**
 * Writes one mbox entry at the channel's position: envelope and prepended lines verbatim, then
 * the content with every line that starts with "From " escaped as ">From " (mboxo, as Postfix
 * global/mail_copy.c does), a final LF if the content lacks one, and the empty separator line.
 *
 * <p>Copies content bytes exactly (8-bit, NUL, any line length), streaming through one buffer;
 * line starts are tracked across buffer boundaries. Stops before the mailbox would exceed
 * {@code allowed} more bytes (5.2.2). Read errors are 4.3.0, write errors 4.3.1 (disk full),
 * 4.2.2 (quota) or 4.3.0; the caller truncates. One instance per append; not thread-safe.
 */
final class MboxWriter {
  private static final byte[] FROM_ = {'F', 'r', 'o', 'm', ' '};
  private static final int BUFFER = 64 * 1024;

  private final FileChannel channel;
  private final Path mailbox;
  private final long allowed;
  private final ByteBuffer out = ByteBuffer.allocate(BUFFER);
  private long written;

  /** {@code allowed}: how many bytes the mailbox may still grow by (Long.MAX_VALUE: any). */
  MboxWriter(FileChannel channel, Path mailbox, long allowed) {
    this.channel = channel;
    this.mailbox = mailbox;
    this.allowed = allowed;
  }

  /** Writes a line we composed (From_ line, prepended header) and its LF, unquoted. */
  void line(String text) throws TempFailException, PermFailException {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      put(b);
    }
    put((byte) '\n');
  }

  /** Copies the message content, quoting From_ lines, and completes its last line. */
  void content(MessageContent content) throws TempFailException, PermFailException {
    byte[] in = new byte[BUFFER];
    // -1: inside a line; 0..4: at a line start, that many bytes of "From " held back.
    int held = 0;
    int last = '\n';
    try (InputStream stream = content.open()) {
      for (int n = read(stream, in); n >= 0; n = read(stream, in)) {
        for (int i = 0; i < n; i++) {
          byte b = in[i];
          if (held >= 0) {
            if (b == FROM_[held]) {
              if (++held == FROM_.length) {
                put((byte) '>');
                put(FROM_, FROM_.length);
                held = -1;
              }
              continue;
            }
            put(FROM_, held);
          }
          put(b);
          held = b == '\n' ? 0 : -1;
        }
        if (n > 0) {
          last = in[n - 1];
        }
      }
    } catch (IOException e) {
      throw readFailure(e); // from open() or close()
    }
    if (held > 0) {
      put(FROM_, held);
    }
    // Postfix: a last line without LF is completed, so the separator line stays a line.
    if (last != '\n') {
      put((byte) '\n');
    }
  }

  /** Writes the empty line that ends the entry and pushes everything to the channel. */
  void finish() throws TempFailException, PermFailException {
    put((byte) '\n');
    flush();
  }

  private int read(InputStream stream, byte[] into) throws TempFailException {
    try {
      return stream.read(into);
    } catch (IOException e) {
      throw readFailure(e);
    }
  }

  private void put(byte[] bytes, int length) throws TempFailException, PermFailException {
    for (int i = 0; i < length; i++) {
      put(bytes[i]);
    }
  }

  private void put(byte b) throws TempFailException, PermFailException {
    if (!out.hasRemaining()) {
      flush();
    }
    out.put(b);
  }

  private void flush() throws TempFailException, PermFailException {
    out.flip();
    // Postfix enforces mailbox_size_limit as a file size limit: the write fails with EFBIG.
    if (out.remaining() > allowed - written) {
      throw new PermFailException(
          "5.2.2", "mailbox " + mailbox + " is full: message would exceed mailbox_size_limit");
    }
    try {
      while (out.hasRemaining()) {
        written += channel.write(out);
      }
    } catch (IOException e) {
      throw writeFailure(mailbox, e);
    }
    out.clear();
  }

  private TempFailException readFailure(IOException e) {
    String why = "cannot update mailbox " + mailbox + ": error reading message: ";
    return new TempFailException("4.3.0", why + e.getMessage(), e);
  }

  /** Picks the status from the cause, as Postfix global/mbox_open.c mbox_dsn() does. */
  static TempFailException writeFailure(Path mailbox, IOException e) {
    return new TempFailException(DiskError.status(e),
        "cannot update mailbox " + mailbox + ": error writing message: " + e.getMessage(), e);
  }

}
