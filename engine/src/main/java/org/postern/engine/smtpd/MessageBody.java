package org.postern.engine.smtpd;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Streams the content of one message from the bytes of DATA (dot-stuffed, ended by
 * CRLF.CRLF) or of BDAT chunks (taken as they are) into the queue file being written, with
 * LF line ends, one line at a time: memory is one line (line_length_limit), whatever the
 * message's size.
 *
 * <p>Trusts nothing: each byte is checked. RFC 5321 §4.1.1.4 and spec i.3 (SMTP smuggling):
 * only {@code <CR><LF>.<CR><LF>} ends DATA; a bare LF is a line end ({@code normalize}) or a
 * fault ({@code reject}); a bare CR and a NUL are faults. Lines longer than line_length_limit
 * are split, not refused. Past the first fault (message_size_limit, header_size_limit,
 * hopcount_limit, or a write error of the queue file, which is temporary) nothing more is
 * written while the rest is read and thrown away; the caller then abandons the file. One per
 * message; not thread-safe.
 */
final class MessageBody {
  /** Why a message is refused once its end has been read. */
  enum Fault {
    TOO_BIG(Replies.TOO_BIG),
    HEADER_TOO_BIG(Replies.HEADER_TOO_BIG),
    TOO_MANY_HOPS(Replies.TOO_MANY_HOPS),
    NUL(Replies.NUL),
    BARE_CR(Replies.BARE_CR),
    BARE_LF(Replies.BARE_LF),
    WRITE_ERROR(Replies.WRITE_ERROR);

    final String reply;

    Fault(String reply) {
      this.reply = reply;
    }
  }

  private final SessionSettings settings;
  private final boolean dotStuffed;
  /** Where the content goes: the queue file (through cleanup), or nowhere (DISCARD). */
  private final OutputStream out;
  private final byte[] line;
  private int lineLength;
  private boolean pendingCr;
  /** The bytes in {@link #line} start a line (not the rest of a split long line). */
  private boolean atLineStart = true;
  /** The previous line ended with CRLF; the start of DATA counts as such. */
  private boolean previousCrlf = true;
  private boolean inHeader = true;
  private long headerBytes;
  private int hops;
  private long size;
  private Fault fault;
  private String writeFailure = "";
  private final boolean rejectBareLf;

  /** {@code exempt}: a client on smtpd_forbid_bare_newline_exclusions (bare LF allowed). */
  MessageBody(SessionSettings settings, boolean dotStuffed, boolean exempt, OutputStream out) {
    this.settings = settings;
    this.out = out;
    this.rejectBareLf = settings.bareNewline() == SessionSettings.BareNewline.REJECT && !exempt;
    this.dotStuffed = dotStuffed;
    this.line = new byte[settings.lineLengthLimit()];
  }

  /** Feeds one byte; true when it completed the end-of-data line (dot-stuffed input only). */
  boolean push(int b) {
    if (pendingCr) {
      pendingCr = false;
      if (b == '\n') {
        return endLine(true);
      }
      fail(Fault.BARE_CR);
      append('\r');
    }
    if (b == '\r') {
      pendingCr = true;
      return false;
    }
    if (b == '\n') {
      if (rejectBareLf) {
        fail(Fault.BARE_LF);
      }
      return endLine(false);
    }
    if (b == 0) {
      fail(Fault.NUL);
    }
    append(b);
    return false;
  }

  /** Ends chunked input (BDAT LAST): a trailing CR is bare, a last line gets its LF. */
  void finish() {
    if (pendingCr) {
      pendingCr = false;
      fail(Fault.BARE_CR);
    }
    if (lineLength > 0) {
      emit();
    }
  }

  Optional<Fault> fault() {
    return Optional.ofNullable(fault);
  }

  /**
   * Writes our Received header ahead of the client's content. Like Postfix's cleanup, the
   * header section is measured with it against header_size_limit; message_size_limit counts
   * the client's bytes only.
   */
  void prepend(byte[] trace) {
    headerBytes += trace.length;
    try {
      out.write(trace);
    } catch (IOException e) {
      writeFailed(String.valueOf(e.getMessage()));
    }
  }

  /** The queue file cannot be written (or opened): a temporary fault, {@code reason} logged. */
  void writeFailed(String reason) {
    if (fault == null) {
      writeFailure = reason;
    }
    fail(Fault.WRITE_ERROR);
  }

  /** Why the queue file could not be written (with {@link Fault#WRITE_ERROR}). */
  String writeFailure() {
    return writeFailure;
  }

  private boolean endLine(boolean crlf) {
    // RFC 5321 §4.1.1.4: the end is "." alone on a line, CRLF before and after (spec i.3).
    boolean dotLine = dotStuffed && atLineStart && lineLength == 1 && line[0] == '.';
    boolean strict = settings.bareNewline() != SessionSettings.BareNewline.ALLOW;
    if (dotLine && (!strict || crlf && previousCrlf)) {
      return true;
    }
    emit();
    previousCrlf = crlf;
    return false;
  }

  private void append(int b) {
    if (lineLength == line.length) {
      emit(); // line_length_limit: split, as Postfix does, rather than refuse
      atLineStart = false;
    }
    line[lineLength++] = (byte) b;
  }

  /** Writes the current line (or piece of one) with an LF, and resets it. */
  private void emit() {
    // RFC 5321 §4.5.2: a leading dot was doubled by the client.
    int from = dotStuffed && atLineStart && lineLength > 0 && line[0] == '.' ? 1 : 0;
    int length = lineLength - from;
    if (inHeader && atLineStart) {
      if (length == 0) {
        inHeader = false;
      } else if (startsWithIgnoreCase(from, "Received:") && ++hops >= settings.hopcountLimit()) {
        fail(Fault.TOO_MANY_HOPS);
      }
    }
    if (inHeader) {
      headerBytes += length + 1;
      if (headerBytes > settings.headerSizeLimit()) {
        fail(Fault.HEADER_TOO_BIG);
      }
    }
    size += length + 1;
    if (size > settings.sizeLimit()) {
      fail(Fault.TOO_BIG);
    }
    if (fault == null) {
      write(from, length);
    }
    lineLength = 0;
    atLineStart = true;
  }

  /** Writes {@code line[from..from+length)} and an LF into the queue file. */
  private void write(int from, int length) {
    try {
      out.write(line, from, length);
      out.write('\n');
    } catch (IOException e) {
      writeFailed(String.valueOf(e.getMessage()));
    }
  }

  private boolean startsWithIgnoreCase(int from, String prefix) {
    if (lineLength - from < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase(line[from + i]) != Character.toLowerCase(prefix.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Keeps the first fault; a too-big message is reported as such even if it had others. */
  private void fail(Fault f) {
    if (fault == null || f == Fault.TOO_BIG) {
      fault = f;
    }
  }
}
