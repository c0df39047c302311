package org.postern.compat.submit;

import org.postern.engine.util.TimedChannel;
import org.postern.engine.util.Watchdog;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;

/**
 * The sendmail command's end of the submission socket (protocol in {@link SubmitProtocol}):
 * sends the arguments, streams stdin when the daemon says SEND, and replays the daemon's
 * stdout, stderr, dead.letter copy and exit code, or, when the daemon says REPLY (a
 * listing it ran itself), its stdout, stderr and exit code. Deliberately small: the model
 * for a C client.
 *
 * <p>Trusts the daemon behind the instance's socket (its directory is the queue owner's).
 * Empty result = the daemon did not serve the command (no socket, refused connection, LOCAL,
 * ERROR, any failure before SEND, a REPLY cut short before its EXIT: a REPLY is replayed
 * only once complete): the caller runs the command itself. After SEND it never falls back,
 * since the daemon may have queued the message: a lost connection is exit 75. Not
 * thread-safe.
 */
public final class SubmitClient {
  /** How long the daemon may take to answer the header, and to report the result. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RESULT_TIMEOUT = Duration.ofMinutes(5);
  private static final int CHUNK = 65536;

  /** Appends the daemon's copy of a refused message to ~/dead.letter as the user. */
  @FunctionalInterface
  public interface DeadLetterSaver {
    void save(byte[] content) throws ConfigException;
  }

  private SubmitClient() {}

  /** Hands the command to the daemon; empty when the caller must run it itself. */
  public static OptionalInt submit(
      Path socket,
      SubmitRequest request,
      InputStream stdin,
      PrintStream out,
      PrintStream err,
      DeadLetterSaver deadLetter)
      throws ConfigException {
    if (!Files.exists(socket)) {
      return OptionalInt.empty();
    }
    SocketChannel ch;
    try {
      ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      return OptionalInt.empty(); // daemon down (a stale socket): use the maildrop
    }
    Watchdog dog = new Watchdog("submit-client");
    TimedChannel channel = new TimedChannel(ch, dog, ANSWER_TIMEOUT);
    try {
      InputStream in = new BufferedInputStream(channel.input());
      OutputStream to = new BufferedOutputStream(channel.output());
      String answer;
      try {
        request.write(to);
        to.flush();
        answer = SubmitProtocol.readLine(in, SubmitProtocol.MAX_LINE);
      } catch (IOException e) {
        return OptionalInt.empty();
      }
      if (answer.equals(SubmitProtocol.REPLY)) {
        channel.timeout(RESULT_TIMEOUT);
        return reply(in, out, err, deadLetter);
      }
      if (!answer.equals(SubmitProtocol.SEND_EOF) && !answer.equals(SubmitProtocol.SEND_DOT)) {
        return OptionalInt.empty(); // LOCAL, ERROR, or an answer we do not know
      }

      // From here on the daemon may queue the message: no fallback.
      try {
        Optional<IOException> unreadable =
            sendInput(stdin, to, answer.equals(SubmitProtocol.SEND_DOT));
        if (unreadable.isPresent()) {
          err.println(
              request.program() + ": cannot read message: " + unreadable.get().getMessage());
          return OptionalInt.of(Sysexit.EX_IOERR.code()); // no end marker: nothing is queued
        }
        channel.timeout(RESULT_TIMEOUT);
        return OptionalInt.of(result(in, out, err, deadLetter));
      } catch (IOException e) {
        err.println(
            request.program() + ": lost the connection to the mail daemon (" + e.getMessage()
                + "); the message may not have been queued");
        return OptionalInt.of(Sysexit.EX_TEMPFAIL.code());
      }
    } finally {
      close(channel);
      dog.close();
    }
  }

  private static void close(TimedChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing depends on a clean close: the outcome is decided
    }
  }

  /**
   * Streams stdin as chunks and the end marker; with {@code dot}, stops after a line holding
   * only "." (sendmail without -i). Returns stdin's read error, if any, without the end marker.
   */
  private static Optional<IOException> sendInput(InputStream stdin, OutputStream to, boolean dot)
      throws IOException {
    byte[] buf = new byte[CHUNK];
    DotLine end = new DotLine();
    while (true) {
      int n;
      try {
        n = stdin.read(buf);
      } catch (IOException e) {
        return Optional.of(e);
      }
      if (n < 0) {
        break;
      }
      SubmitProtocol.writeItem(to, buf, 0, n);
      to.flush();
      if (dot && end.foundIn(buf, n)) {
        break;
      }
    }
    SubmitProtocol.writeLine(to, "0");
    to.flush();
    return Optional.empty();
  }

  /**
   * A REPLY's records, replayed once its EXIT came (nothing printed before: a cut reply is
   * empty, and the caller runs the command itself, which changes nothing).
   */
  private static OptionalInt reply(InputStream in, PrintStream out, PrintStream err,
      DeadLetterSaver deadLetter) throws ConfigException {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(stdout); PrintStream e = new PrintStream(stderr)) {
      exit = result(in, o, e, deadLetter);
    } catch (IOException e) {
      return OptionalInt.empty();
    }
    out.write(stdout.toByteArray(), 0, stdout.size());
    err.write(stderr.toByteArray(), 0, stderr.size());
    out.flush();
    return OptionalInt.of(exit);
  }

  /** Replays the daemon's records; returns its exit code. */
  private static int result(
      InputStream in, PrintStream out, PrintStream err, DeadLetterSaver deadLetter)
      throws IOException, ConfigException {
    while (true) {
      String line = SubmitProtocol.readLine(in, SubmitProtocol.MAX_LINE);
      int sp = line.indexOf(' ');
      String tag = sp < 0 ? line : line.substring(0, sp);
      String arg = sp < 0 ? "" : line.substring(sp + 1);
      if (tag.equals(SubmitProtocol.EXIT)) {
        return SubmitProtocol.number(arg, 255);
      }
      if (tag.equals(SubmitProtocol.ERROR)) {
        throw new IOException("the mail daemon refused it: " + arg);
      }
      byte[] bytes = SubmitProtocol.readBytes(in, SubmitProtocol.number(arg, Integer.MAX_VALUE));
      switch (tag) {
        case SubmitProtocol.OUT -> out.write(bytes, 0, bytes.length);
        case SubmitProtocol.ERR -> err.write(bytes, 0, bytes.length);
        case SubmitProtocol.DEAD -> deadLetter.save(bytes);
        default -> {
          // a record of a later protocol revision: skipped
        }
      }
    }
  }

  /** Finds sendmail's end of input, a line holding only "." (LF or CRLF), across reads. */
  private static final class DotLine {
    private int state = 1; // 0 in a line, 1 at a line start, 2 after ".", 3 after ".\r"

    boolean foundIn(byte[] buf, int n) {
      for (int i = 0; i < n; i++) {
        byte b = buf[i];
        if (b == '\n' && state >= 2) {
          return true;
        }
        if (state == 1 && b == '.') {
          state = 2;
        } else if (state == 2 && b == '\r') {
          state = 3;
        } else {
          state = b == '\n' ? 1 : 0;
        }
      }
      return false;
    }
  }
}
