package org.postern.engine.global;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postern.engine.posix.FsIdentity;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.io.ProcessId;

/**
 * The one logging facade: one syslog-shaped line per event,
 * {@code MMM dd HH:mm:ss HOST postern/PROGRAM[PID]: text} ({@code syslog_name} sets the
 * {@code postern}), appended to {@code maillog_file}.
 *
 * <p>Trusts nothing it is given: control characters are escaped so one event stays one line.
 * Each line is a single append write, so concurrent processes never interleave inside a line.
 * When the log cannot be opened, warnings and worse go to stderr and info is dropped. Does
 * not trust the log's name when another user owns its directory (see {@link #openAppend}).
 * Thread-safe.
 */
public final class MailLog {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT);

  private final String prefix;
  private final FileChannel out;
  private final PrintStream fallback;
  private final boolean debug;

  private MailLog(String prefix, FileChannel out, PrintStream fallback, boolean debug) {
    this.prefix = prefix;
    this.out = out;
    this.fallback = fallback;
    this.debug = debug;
  }

  /** A log for one component ({@code smtpd}, {@code local}, ...) of the given instance. */
  public static MailLog open(Config config, String program) {
    String prefix = " " + config.get(Params.MYHOSTNAME) + " " + config.get(Params.SYSLOG_NAME)
        + "/" + program + "[" + pid() + "]: ";
    boolean debug = "yes".equalsIgnoreCase(config.get(Params.MAILLOG_DEBUG));
    String file = config.get(Params.MAILLOG_FILE);
    if (file.isEmpty()) {
      return new MailLog(prefix, null, System.err, debug);
    }
    try {
      return new MailLog(prefix, openAppend(config.path(Params.MAILLOG_FILE)), System.err,
          debug);
    } catch (IOException | SecurityException e) {
      return new MailLog(prefix, null, System.err, debug);
    }
  }

  /**
   * Opens the log for appending, never through a final symlink. Root appends in a directory
   * another user owns (the mail owner's log directory of an instance) with that user's
   * rights, so a name swapped in there cannot point root's writes at another file.
   */
  private static FileChannel openAppend(Path path) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
    if (ProcessIdentity.current().isRoot()) {
      Map<String, Object> dir =
          Files.readAttributes(path.toAbsolutePath().getParent(), "unix:uid,gid");
      int uid = (Integer) dir.get("uid");
      if (uid != 0) {
        try (FsIdentity owner = FsIdentity.assume(uid, (Integer) dir.get("gid"))) {
          return FileChannel.open(path, options);
        }
      }
    }
    return FileChannel.open(path, options);
  }

  /** A log that writes every line to the given stream (tests, foreground tools). */
  public static MailLog to(PrintStream stream, String program) {
    return new MailLog(" localhost postern/" + program + "[" + pid() + "]: ", null, stream, true);
  }

  public void info(String text) {
    write(text, false);
  }

  public void debug(String text) {
    if (debug) {
      write(text, false);
    }
  }

  public void warning(String text) {
    write("warning: " + text, true);
  }

  public void error(String text) {
    write("error: " + text, true);
  }

  public void fatal(String text) {
    write("fatal: " + text, true);
  }

  public void panic(String text) {
    write("panic: " + text, true);
  }

  /** Escapes control characters from untrusted input (Postfix's printable()). */
  public static String printable(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (b == null) {
          b = new StringBuilder(s.substring(0, i));
        }
        b.append(String.format("\\x%02x", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  private void write(String text, boolean important) {
    String line = LocalDateTime.now().format(STAMP) + prefix + printable(text) + "\n";
    if (out != null) {
      try {
        ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
          while (buf.hasRemaining()) {
            out.write(buf);
          }
        }
        return;
      } catch (IOException e) {
        // The log itself failed: fall through to stderr for what matters.
      }
    }
    if (important || out == null && fallback != System.err) {
      fallback.print(line);
    }
  }

  private static long pid() {
    return ProcessId.current();
  }
}
