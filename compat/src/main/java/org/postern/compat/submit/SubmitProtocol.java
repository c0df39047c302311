package org.postern.compat.submit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.postern.engine.global.MailLog;

/**
 * The submission protocol, version 2: how the sendmail command hands one message to the
 * daemon over the UNIX-domain stream socket {@code $queue_directory/public/submit}, or has
 * the daemon run a queue listing for it. Byte oriented, so that a small C client can speak
 * it unchanged.
 *
 * <pre>
 * Conventions. A LINE is bytes up to LF (no CR). A NUMBER is 1 to 10 ASCII digits. An ITEM
 * is a LINE holding a NUMBER n, then exactly n bytes (no terminator). Text is UTF-8.
 *
 * Client, at once after connecting:
 *   "POSTERN-SUBMIT 2" LF          magic and version ("POSTERN-SUBMIT 1": version 1, below)
 *   LINE argc, then argc ITEMs      argv without argv[0], exactly as given
 *   ITEM                            the program name: basename of argv[0] ("sendmail")
 *   LINE envc, then envc ITEMs      "NAME=value" environment entries; the server uses only
 *                                   NAME (the full name) and TZ (the zone a listing shows
 *                                   times in; absent: the daemon's) and ignores the others
 * Server, one LINE:
 *   "LOCAL"     not served here (-bs, -q, -bi, a usage error, -d0.1, ...). Nothing was read
 *               from stdin: run the command locally.
 *   "REPLY"     (to version 2 only) the server ran the whole command itself without reading
 *               stdin (mailq, sendmail -bp with its -q selections and -v, -bP); the result
 *               records follow at once, as after the end of data below, then the close.
 *   "SEND EOF"  stream stdin to its end;
 *   "SEND DOT"  stream stdin to its end or up to and including the first line holding only
 *               "." (LF or CRLF ended, the sendmail rule without -i); the rest stays unread.
 *   "ERROR text"  refused (bad header, too busy, peer user unknown): the server closes
 *               (possibly before reading the header); run locally.
 * Client, after SEND: stdin as ITEMs of 1 to 1048576 bytes, then the ITEM "0" LF (the end).
 * Server, when the message is durable (file and directory fsync'd) or refused:
 *   records "OUT n" LF + n bytes (text for stdout), "ERR n" LF + n bytes (text for stderr),
 *   "DEAD n" LF + n bytes (ErrorMode p refused recipients: the client appends this message
 *   to its user's ~/dead.letter as an mbox entry), each at most once, in this order, only
 *   when not empty; then "EXIT code" LF (the exit status, 0-255) and the server closes.
 *   Or "ERROR text" LF and close when the data was malformed: nothing was queued.
 * The program name "postern" (the admin command, argv as it follows "postern") is answered
 * REPLY for its queue listing ("postern [-C DIR] queue [list] [--json] [-v] [filters]") and
 * LOCAL for everything else, never SEND; a client takes any other answer to it as LOCAL and
 * closes without sending data (a daemon before this rule parsed it as sendmail's argv).
 * Version 1 is version 2 without REPLY: a version 1 client gets LOCAL for a listing.
 * </pre>
 *
 * <p>The server closes a connection that stays silent for 60 s before SEND, or for an hour
 * while the message is coming (a user typing at a terminal), and nothing is queued then.
 * Nothing identity-related travels in the protocol: the server learns the user from the
 * socket's peer credentials (SO_PEERCRED), and a listing is the one that user may see. The
 * header is at most 4 MiB; a client skips records with tags it does not know (later
 * revisions), and takes an answer LINE it does not know as LOCAL. After SEND a client must
 * never fall back to the maildrop: a lost connection then is exit 75; after REPLY it may run
 * the command itself, since nothing was changed. Either side stops at the first violation
 * (a short read, a bad NUMBER, a length over its limit) with a {@link ProtocolException}.
 * Stateless; the helpers are thread-safe.
 */
public final class SubmitProtocol {
  /** The magic line without its version number. */
  public static final String MAGIC_PREFIX = "POSTERN-SUBMIT ";
  /** The version this side speaks; the server also takes {@link #FIRST_VERSION}. */
  public static final int VERSION = 2;
  public static final int FIRST_VERSION = 1;
  public static final String LOCAL = "LOCAL";
  public static final String REPLY = "REPLY";
  public static final String SEND_EOF = "SEND EOF";
  public static final String SEND_DOT = "SEND DOT";
  public static final String ERROR = "ERROR";
  public static final String OUT = "OUT";
  public static final String ERR = "ERR";
  public static final String DEAD = "DEAD";
  public static final String EXIT = "EXIT";

  /** Largest data chunk; clients may send smaller ones. */
  public static final int MAX_CHUNK = 1 << 20;
  /** Largest request header (argv, program name, environment), framing included. */
  public static final int MAX_HEADER = 4 << 20;
  /** Longest control line (a NUMBER, a reply, an ERROR text). */
  public static final int MAX_LINE = 1024;

  private static final int MAX_DIGITS = 10;

  /** A peer that broke the protocol; the connection must be closed. */
  public static final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
      super(message);
    }
  }

  private SubmitProtocol() {}

  /** Writes one LINE (the text must not hold LF). */
  public static void writeLine(OutputStream out, String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  /** Writes one ITEM. */
  public static void writeItem(OutputStream out, byte[] bytes, int off, int len)
      throws IOException {
    writeLine(out, Integer.toString(len));
    out.write(bytes, off, len);
  }

  public static void writeItem(OutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    writeItem(out, b, 0, b.length);
  }

  /** Writes a record {@code TAG n LF bytes}. */
  public static void writeRecord(OutputStream out, String tag, byte[] bytes) throws IOException {
    writeLine(out, tag + " " + bytes.length);
    out.write(bytes);
  }

  /** Reads one LINE of at most {@code max} bytes, without its LF. */
  public static String readLine(InputStream in, int max) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(32);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new ProtocolException(
            line.size() == 0 ? "connection closed" : "connection closed inside a line");
      }
      if (c == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (line.size() >= max) {
        throw new ProtocolException("line longer than " + max + " bytes");
      }
      line.write(c);
    }
  }

  /** Reads a LINE holding a NUMBER no larger than {@code max}. */
  public static int readNumber(InputStream in, int max) throws IOException {
    return number(readLine(in, MAX_DIGITS), max);
  }

  /** Parses a NUMBER no larger than {@code max}. */
  public static int number(String text, int max) throws ProtocolException {
    if (text.isEmpty() || text.length() > MAX_DIGITS) {
      throw new ProtocolException("bad number \"" + printable(text) + "\"");
    }
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new ProtocolException("bad number \"" + printable(text) + "\"");
      }
      n = n * 10 + (c - '0');
    }
    if (n > max) {
      throw new ProtocolException("length " + n + " over the limit of " + max);
    }
    return (int) n;
  }

  /** Reads exactly {@code n} bytes. */
  public static byte[] readBytes(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new ProtocolException("connection closed after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  /** Text from the peer made safe for one log or error line. */
  static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return MailLog.printable(cut);
  }
}
