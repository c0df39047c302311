package org.postern.engine.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * The byte level of one SMTP client connection: command lines out, replies in (RFC 5321
 * §4.2), the DATA stream, and the switch to TLS, over a TCP or UNIX-domain {@link Link}. Every read and every write is bounded by the
 * current stage's timeout: reads by the socket timeout, writes by a deadline on the shared
 * timer that closes the socket when a write blocks too long.
 *
 * <p>Does not trust the server: reply lines are cut at {@value #MAX_LINE} bytes and replies at
 * {@value #MAX_LINES} lines, and anything that is not a reply line is a malformed reply. Any
 * I/O failure becomes a {@link ConversationException} naming the stage. Owns the link.
 * Used by one thread at a time.
 */
final class SmtpConnection implements Closeable {
  static final int MAX_LINE = 2048;
  static final int MAX_LINES = 100;

  private final Link plain;
  private final Endpoint endpoint;
  private final Timeouts timeouts;
  private final Transcript transcript;
  private final ScheduledExecutorService timer;
  private volatile Link link;
  private InputStream in;
  private OutputStream out;
  private Stage stage = Stage.GREETING;
  private volatile boolean expired;

  SmtpConnection(
      Link link,
      Endpoint endpoint,
      Timeouts timeouts,
      Transcript transcript,
      ScheduledExecutorService timer)
      throws IOException {
    this.plain = link;
    this.endpoint = endpoint;
    this.timeouts = timeouts;
    this.transcript = transcript;
    this.timer = timer;
    attach(link);
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** The TCP socket, for STARTTLS (never asked of a UNIX-domain connection). */
  Socket socket() {
    return link.socket();
  }

  /** Enters a stage: its timeout applies to the reads and writes that follow. */
  void stage(Stage next) throws ConversationException {
    stage = next;
    try {
      link.readTimeout(timeouts.of(next));
    } catch (IOException e) {
      throw broken(e);
    }
  }

  /** Buffers one command line (CRLF added); {@link #flush} sends it. */
  void command(Stage next, String line) throws ConversationException {
    stage(next);
    transcript.sent(line);
    try {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw broken(e);
    }
  }

  /**
   * As {@link #command}, for a line carrying credentials: the transcript gets {@code shown}
   * instead (RFC 4954 AUTH and its responses), so {@code sendmail -v} never prints them.
   */
  void secret(Stage next, String line, String shown) throws ConversationException {
    stage(next);
    transcript.sent(shown);
    try {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw broken(e);
    }
  }

  void flush() throws ConversationException {
    try {
      out.flush();
    } catch (IOException e) {
      throw broken(e);
    }
  }

  /** The stream for the message body, in the BODY stage; its failures are conversational. */
  OutputStream body() throws ConversationException {
    stage(Stage.BODY);
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          throw broken(e);
        }
      }
    };
  }

  /** Reads one complete reply, multi-line included, in the given stage. */
  SmtpReply reply(Stage next) throws ConversationException {
    stage(next);
    List<String> lines = new ArrayList<>();
    int code;
    while (true) {
      String line = readLine();
      transcript.received(line);
      if (line.length() < 3
          || !line.substring(0, 3).matches("[1-5]\\d\\d")
          || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
        throw new ConversationException(
            ConversationException.Kind.MALFORMED_REPLY, stage, line, null);
      }
      code = Integer.parseInt(line.substring(0, 3));
      if (lines.size() < MAX_LINES) {
        lines.add(line);
      }
      if (line.length() == 3 || line.charAt(3) == ' ') {
        return new SmtpReply(code, lines);
      }
    }
  }

  /**
   * Whether the server sent anything beyond the reply just read. After the STARTTLS reply
   * this would be plaintext injected ahead of the handshake (CVE-2011-0411), never obeyed.
   */
  boolean hasUnreadInput() throws ConversationException {
    try {
      return in.available() > 0;
    } catch (IOException e) {
      throw broken(e);
    }
  }

  /** Continues over TLS on the same TCP connection, after a completed handshake. */
  void upgrade(SSLSocket tls) throws IOException {
    attach(Link.of(tls));
  }

  @Override
  public void close() {
    try {
      link.close();
    } catch (IOException e) {
      // Closing a connection we are abandoning: nothing more can be lost or learned.
    }
    try {
      plain.close();
    } catch (IOException e) {
      // As above; the TLS layer may already have closed it.
    }
  }

  private void attach(Link l) throws IOException {
    link = l;
    in = new BufferedInputStream(l.input());
    out = new BufferedOutputStream(new DeadlineOutput(l.output()), 8192);
  }

  private String readLine() throws ConversationException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new ConversationException(ConversationException.Kind.LOST, stage, "", null);
        }
        if (line.size() < MAX_LINE) {
          line.write(c);
        }
      }
    } catch (ConversationException e) {
      throw e;
    } catch (IOException e) {
      throw broken(e);
    }
    String s = line.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private ConversationException broken(IOException e) {
    if (e instanceof ConversationException ce) {
      return ce;
    }
    boolean timedOut = expired || e instanceof SocketTimeoutException;
    return new ConversationException(
        timedOut ? ConversationException.Kind.TIMED_OUT : ConversationException.Kind.LOST,
        stage,
        String.valueOf(e.getMessage()),
        e);
  }

  /** Writes that give up after the stage's timeout by closing the socket under them. */
  private final class DeadlineOutput extends OutputStream {
    private final OutputStream raw;

    DeadlineOutput(OutputStream raw) {
      this.raw = raw;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ScheduledFuture<?> deadline =
          timer.schedule(this::expire, timeouts.of(stage), TimeUnit.MILLISECONDS);
      try {
        raw.write(b, off, len);
      } finally {
        deadline.cancel(false);
      }
    }

    @Override
    public void flush() throws IOException {
      raw.flush();
    }

    private void expire() {
      expired = true;
      SmtpConnection.this.close();
    }
  }
}
