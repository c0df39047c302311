package org.postern.compat.mailq;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.postern.engine.showq.QueueEntry;

/**
 * Prints a queue listing the way this instance wants it: sendmail 8's layout or Postfix's,
 * as {@code mailq_format} says ({@code sendmail}, the default, or {@code postfix}), or as
 * JSON lines. Shared by mailq and {@code postern queue}.
 *
 * <p>Trusts the entries it is given (already selected and permitted). An unknown
 * mailq_format is a ConfigException naming the value. Times are shown in the clock's zone.
 * Immutable.
 */
public final class QueuePrinter {
  /** The quarantine reason a held message shows and {@code -qQ} substrings match. */
  public static final String HOLD_REASON = "held by the administrator";

  private final boolean postfix;
  private final String queueDir;
  private final Clock clock;

  public QueuePrinter(Config config, String queueDir, Clock clock) throws ConfigException {
    String format = config.get(Params.MAILQ_FORMAT).strip().toLowerCase(Locale.ROOT);
    if (!format.equals("sendmail") && !format.equals("postfix")) {
      throw new ConfigException(Params.MAILQ_FORMAT.name() + " = " + format
          + ": must be sendmail or postfix");
    }
    this.postfix = format.equals("postfix");
    this.queueDir = queueDir;
    this.clock = clock;
  }

  /** The human listing; {@code verbose} is sendmail's {@code mailq -v} (Postfix ignores it). */
  public void list(PrintStream out, List<QueueEntry> entries, boolean verbose) {
    if (postfix) {
      new PostfixLayout(clock.getZone()).print(out, entries);
    } else {
      new SendmailLayout(clock.getZone(), clock.millis(), verbose).print(out, queueDir, entries);
    }
  }

  /** One postqueue -j object per message per line. */
  public void json(PrintStream out, List<QueueEntry> entries) {
    JsonLines.print(out, entries);
  }
}
