package org.postern.compat.sendmail;

import java.io.PrintStream;
import org.postern.compat.mailq.MailqCommand;
import org.postern.engine.global.ConfigException;

/**
 * {@code sendmail -bp} (mailq) with its {@code -q[!]I/R/S/Q} selections, {@code -qL} and
 * {@code -v}, and {@code sendmail -bP}: the listing its options ask for, from a mailq that
 * lists for the command's user or, in the daemon, for a submission peer. One place for both,
 * so the daemon's answer and the command's are the same bytes.
 *
 * <p>Trusts the options (sendmail's parser made them). Stateless.
 */
public final class ListingMode {
  private ListingMode() {}

  /** Whether the options ask for a listing this mode prints. */
  public static boolean applies(SendmailOptions opts) {
    return opts.mode() == OperationMode.PRINT_QUEUE || opts.mode() == OperationMode.QUEUE_COUNT;
  }

  /** Prints it; the exit code as the command returns it. */
  public static int run(MailqCommand mailq, SendmailOptions opts, PrintStream out,
      PrintStream err) throws ConfigException {
    if (opts.mode() == OperationMode.QUEUE_COUNT) {
      return mailq.printCount(out, err);
    }
    return mailq.print(out, err, e -> opts.queueRun().map(r -> r.selects(e)).orElse(true),
        opts.verbose(), opts.queueRun().map(QueueRun::listsLost).orElse(false));
  }
}
