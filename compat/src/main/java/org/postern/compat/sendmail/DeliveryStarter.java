package org.postern.compat.sendmail;

import org.postern.compat.privilege.MailOwnerSwitch;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.smtp.Transcript;
import org.postern.engine.qmgr.QueueRunner;
import org.postern.engine.qmgr.RunnerLock;
import org.postern.engine.queue.QueueId;
import org.postern.engine.util.ProcessIdentity;

/**
 * Starts delivery of a just-queued message as sendmail's DeliveryMode asks (spec a.5):
 * {@code i} (and -v) delivers before the command exits, {@code b} (the default) starts a
 * background queue run without making the caller wait, {@code q}/{@code d} only queue.
 *
 * <p>Only the queue's owner (or root) can run the queue; anyone else's message waits for
 * the owner's next run (the daemon, once it runs). Exit 75 for {@code -odi} when the
 * message was queued but not delivered, as sendmail does. Not thread-safe.
 */
final class DeliveryStarter {
  /** Set in the environment of a background run: deliver only what is due. */
  static final String BACKGROUND_ENV = "POSTERN_QUEUE_RUN";

  private final MailSystem system;
  private final SendmailOptions opts;
  private final Streams io;
  private final Map<String, String> env;
  private final ProcessIdentity me;

  DeliveryStarter(
      MailSystem system,
      SendmailOptions opts,
      Streams io,
      Map<String, String> env,
      ProcessIdentity me) {
    this.system = system;
    this.opts = opts;
    this.io = io;
    this.env = env;
    this.me = me;
  }

  int start(Optional<QueueId> dropped) throws ConfigException {
    DeliveryMode mode = opts.deliveryMode();
    if (mode == DeliveryMode.QUEUE_ONLY || mode == DeliveryMode.DEFERRED || !mayRunQueue()) {
      return Sysexit.EX_OK.code();
    }
    if (runsAsMailOwner()) {
      // Root on a system instance never delivers itself: the background run switches to
      // the mail owner (sendmail -q does), so -odi is -odb here.
      startBackgroundRun();
      return Sysexit.EX_OK.code();
    }
    if (mode == DeliveryMode.INTERACTIVE) {
      return deliverNow(dropped);
    }
    startBackgroundRun();
    return Sysexit.EX_OK.code();
  }

  private int deliverNow(Optional<QueueId> dropped) throws ConfigException {
    QueueRunner.Report report;
    try {
      // -v: the SMTP dialogue of remote deliveries on standard output, as sendmail shows it.
      report = system.runQueue(false,
          opts.verbose() ? Transcript.printingTo(io.out()) : Transcript.NONE);
    } catch (IOException e) {
      io.err().println(io.program() + ": queue run failed: " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
    if (dropped.isEmpty()) {
      return Sysexit.EX_OK.code();
    }
    QueueId id = report.pickedUp().get(dropped.get());
    boolean deferred = id == null || report.deferred().contains(id);
    if (opts.verbose()) {
      io.err().println(
          io.program() + ": " + (id == null ? dropped.get() : id)
              + (deferred ? ": delivery deferred, message queued" : ": delivery complete"));
    }
    return deferred ? Sysexit.EX_TEMPFAIL.code() : Sysexit.EX_OK.code();
  }

  /** Leaves a trigger for a running queue run, or starts one that outlives this command. */
  private void startBackgroundRun() {
    String bin = System.getProperty("postern.bin");
    try {
      if (bin == null || !RunnerLock.requestRun(system.queue().root())) {
        return;
      }
      List<String> cmd = new ArrayList<>();
      if (new File("/usr/bin/setsid").canExecute()) {
        cmd.add("/usr/bin/setsid"); // out of the caller's session: its signals are not ours
      }
      cmd.add(Path.of(bin, "sendmail").toString());
      cmd.add("-C");
      cmd.add(system.config().configDir().toString());
      cmd.add("-q");
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put(BACKGROUND_ENV, "due");
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.start();
    } catch (IOException e) {
      // The message is safely queued; the next queue run delivers it.
      system.log("sendmail").warning("cannot start a background queue run: " + e.getMessage());
    }
  }

  /** Root on a queue another user owns (MailOwnerSwitch); unknown counts as yes. */
  private boolean runsAsMailOwner() {
    try {
      return MailOwnerSwitch.needed(system.queue().root()).isPresent();
    } catch (IOException e) {
      return me.isRoot();
    }
  }

  private boolean mayRunQueue() {
    if (me.isRoot()) {
      return true;
    }
    try {
      Object owner = Files.getAttribute(system.queue().root(), "unix:uid");
      return owner instanceof Integer && (Integer) owner == me.uid();
    } catch (IOException e) {
      return false;
    }
  }
}
