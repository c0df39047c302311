package org.postern.compat.mailq;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.postern.engine.showq.QueueEntry;

/**
 * Prints a queue listing in a layout: sendmail 8's or Postfix's, as {@code mailq_format}
 * says ({@code sendmail}, the default, or {@code postfix}; see {@link #layout}), or JSON
 * lines. Shared by mailq, {@code postern queue} and the daemon's listings, so all print the
 * same bytes: UTF-8, written entry by entry (a listing of 50,000 entries is never one
 * string).
 *
 * <p>Trusts the entries it is given (already selected and permitted). An unknown
 * mailq_format is a ConfigException naming the value. Times are shown in the clock's zone.
 * Immutable.
 */
public final class QueuePrinter {
  /** The quarantine reason a held message shows and {@code -qQ} substrings match. */
  public static final String HOLD_REASON = "held by the administrator";

  /** How a listing looks. */
  public enum Layout {
    SENDMAIL,
    POSTFIX,
    /** postqueue -j's lines. */
    JSON
  }

  private final Layout layout;
  private final String queueDir;
  private final Clock clock;

  /** The human listing in this instance's mailq_format. */
  public QueuePrinter(Config config, String queueDir, Clock clock) throws ConfigException {
    this(layout(config), queueDir, clock);
  }

  /** {@code queueDir} heads sendmail's layout; the clock dates entries and marks backoff. */
  public QueuePrinter(Layout layout, String queueDir, Clock clock) {
    this.layout = layout;
    this.queueDir = queueDir;
    this.clock = clock;
  }

  /** The human layout mailq_format names. */
  public static Layout layout(Config config) throws ConfigException {
    String format = config.get(Params.MAILQ_FORMAT).strip().toLowerCase(Locale.ROOT);
    return switch (format) {
      case "sendmail" -> Layout.SENDMAIL;
      case "postfix" -> Layout.POSTFIX;
      default -> throw new ConfigException(Params.MAILQ_FORMAT.name() + " = " + format
          + ": must be sendmail or postfix");
    };
  }

  /** Prints the entries; {@code verbose} is sendmail's {@code mailq -v} (others ignore it). */
  public void print(PrintStream out, List<QueueEntry> entries, boolean verbose) {
    switch (layout) {
      case SENDMAIL ->
          new SendmailLayout(clock.getZone(), clock.millis(), verbose).print(out, queueDir, entries);
      case POSTFIX -> new PostfixLayout(clock.getZone()).print(out, entries);
      case JSON -> JsonLines.print(out, entries);
    }
  }

  /** Writes {@code b} to {@code out} as UTF-8 and empties it: how the layouts write. */
  static void emit(PrintStream out, StringBuilder b) {
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    b.setLength(0);
  }
}
