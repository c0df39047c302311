package org.postern.compat.sendmail;

import java.io.IOException;
import java.util.Map;
import org.postern.compat.mailq.QueueAccess;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueEditor;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueScanner;

/**
 * {@code sendmail -q}: runs the queue once in the foreground ({@code -qf} is the same) and
 * exits when everything due was attempted (how tests flush). A manual run retries deferred
 * mail at once, as sendmail's does; a background run started by a submission only takes what
 * is due. With {@code -q[!]I/R/S} only the deferred messages the filter selects are made
 * due and retried; {@code -Q[reason]} puts the selected messages on hold, a bare {@code -Q}
 * releases them (spec a.2).
 *
 * <p>Deviation: the run itself is the ordinary queue run, so new mail in incoming/ and
 * deferred mail whose retry time has come are delivered too, not only the selected messages
 * (the engine's queue run takes no filter). Periodic runs ({@code -q30m}) belong to the
 * daemon and are refused here with a clear message rather than silently doing something
 * else. A caller may hold or release only messages {@link QueueAccess} lets them change.
 * Not thread-safe.
 */
final class QueueRunMode {
  private final MailSystem system;
  private final SendmailOptions opts;
  private final Streams io;
  private final Map<String, String> env;

  QueueRunMode(MailSystem system, SendmailOptions opts, Streams io, Map<String, String> env) {
    this.system = system;
    this.opts = opts;
    this.io = io;
    this.env = env;
  }

  int run() throws ConfigException {
    boolean background = "due".equals(env.get(DeliveryStarter.BACKGROUND_ENV));
    try {
      if (opts.quarantine().isPresent()) {
        quarantine();
        return Sysexit.EX_OK.code();
      }
      if (selective()) {
        makeSelectedDue();
        system.runQueue(false);
      } else {
        system.runQueue(!background);
      }
      return Sysexit.EX_OK.code();
    } catch (java.nio.file.AccessDeniedException e) {
      io.err().println(io.program() + ": You do not have permission to process the queue");
      return Sysexit.EX_NOPERM.code();
    } catch (IOException e) {
      io.err().println(io.program() + ": queue run failed: " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
  }

  private boolean selective() {
    return opts.queueRun()
        .map(r -> !r.filter().isEmpty() || r.selection() != QueueRun.Selection.NORMAL)
        .orElse(false);
  }

  /** The deferred messages the flags select become due now (backoff kept, as -q does). */
  private void makeSelectedDue() throws IOException {
    QueueEditor editor = new QueueEditor(system.queue(), system.log("postsuper"));
    for (QueueEntry e : new QueueScanner(system.queue(), system.log("showq")).scan()) {
      if (e.state() == QueueState.DEFERRED && opts.queueRun().get().selects(e)) {
        editor.makeDue(e.id(), false);
      }
    }
  }

  /** -Qreason holds the selected messages, a bare -Q releases them. */
  private void quarantine() throws IOException, ConfigException {
    boolean release = opts.quarantine().get().isRelease();
    QueueAccess access = QueueAccess.of(system.config(), system.queue().root());
    QueueEditor editor = new QueueEditor(system.queue(), system.log("postsuper"));
    for (QueueEntry e : new QueueScanner(system.queue(), system.log("showq")).scan()) {
      boolean selected = opts.queueRun().map(r -> r.filter().matches(e)).orElse(true);
      if (!selected || !access.mayChange(e)) {
        continue;
      }
      if (release && e.state() == QueueState.HOLD) {
        editor.release(e.id());
      } else if (!release && e.state() != QueueState.HOLD) {
        editor.hold(e.id());
      }
    }
  }
}
