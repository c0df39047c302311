package org.postern.compat.sendmail;

import java.io.IOException;
import java.util.Map;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;

/**
 * {@code sendmail -q}: runs the queue once in the foreground and exits when everything due
 * was attempted (how tests flush). A manual run retries deferred mail at once, as sendmail's
 * does; a background run started by a submission only takes what is due.
 *
 * <p>Periodic runs ({@code -q30m}) belong to the daemon and are refused here with a clear
 * message rather than silently doing something else. Not thread-safe.
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
    if (opts.queueRun().isPresent() && !opts.queueRun().get().once()) {
      io.err().println(
          io.program() + ": periodic queue runs (-q<interval>) need the queue daemon,"
              + " which this version does not have; use -q");
      return Sysexit.EX_UNAVAILABLE.code();
    }
    if (!opts.queueFilter().isEmpty()) {
      system.log("sendmail").warning("queue run filters are not implemented; running the whole queue");
    }
    boolean background = "due".equals(env.get(DeliveryStarter.BACKGROUND_ENV));
    try {
      system.runQueue(!background);
      return Sysexit.EX_OK.code();
    } catch (java.nio.file.AccessDeniedException e) {
      io.err().println(io.program() + ": You do not have permission to process the queue");
      return Sysexit.EX_NOPERM.code();
    } catch (IOException e) {
      io.err().println(io.program() + ": queue run failed: " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
  }
}
