package org.postern.compat.submit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.postern.compat.admin.PosternCommand;
import org.postern.compat.mailq.ClientZone;
import org.postern.compat.mailq.ListingOrder;
import org.postern.compat.mailq.MailqCommand;
import org.postern.compat.mailq.QueueAccess;
import org.postern.compat.sendmail.ListingMode;
import org.postern.compat.sendmail.SendmailOptions;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueScanner;
import org.postern.engine.util.ProcessIdentity;

/**
 * The daemon's answer to a listing on the submission socket (REPLY in {@link
 * SubmitProtocol}): mailq, {@code sendmail -bp}, {@code -bP} and {@code postern queue
 * [--json]} run here for the peer, with
 * the daemon's queue scanner (which remembers envelopes between listings), and come back as
 * the stdout, stderr and exit code the command would have printed itself: main.cf warnings
 * and errors under the client's program name, the listing's times in the client's TZ.
 *
 * <p>Trusts the peer identity (SO_PEERCRED) and the parsed options; permissions are
 * mailq's (QueueAccess). A bad mailq_format is exit 78 with the command's fatal line; an
 * unexpected failure exit 70, logged. Thread-safe (the scanner is).
 */
final class ListingReply {
  /** What the command would have printed, and its exit code. */
  record Outcome(byte[] out, byte[] err, int exit) {}

  private static final String TZ = "TZ";

  private final MailSystem system;
  private final QueueScanner scanner;
  private final MailLog log;

  ListingReply(MailSystem system, QueueScanner scanner, MailLog log) {
    this.system = system;
    this.scanner = scanner;
    this.log = log;
  }

  /** Whether the daemon answers this command itself (a listing, not -d0.1's version line). */
  static boolean serves(SendmailOptions opts) {
    return ListingMode.applies(opts) && !opts.printVersion();
  }

  /**
   * {@code postern [-C DIR] queue [list] ...} run here for the peer, as that command has the
   * showq service print it (ShowqServer): the order its own parser makes, QueueAccess on the
   * peer, ListingOrder's printing. Empty when the command would not ask showq (another verb
   * or action, a usage or mailq_format error), or when the scan fails, which makes showq close
   * unanswered: the command then runs and reads the files itself.
   */
  Optional<Outcome> runQueueVerb(SubmitRequest request, ProcessIdentity peer) {
    Optional<ListingOrder> order = PosternCommand.daemonListing(request.args(), system.config(),
        Optional.ofNullable(request.env().get(TZ)));
    if (order.isEmpty()) {
      return Optional.empty();
    }
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    try {
      if (!QueueAccess.of(system.config(), system.queue().root(), peer).mayList()) {
        log.debug("uid=" + peer.uid() + ": postern queue: listing refused");
        byte[] refusal = (PosternCommand.LISTING_REFUSED + System.lineSeparator())
            .getBytes(StandardCharsets.UTF_8);
        return Optional.of(new Outcome(new byte[0], refusal, Sysexit.EX_NOPERM.code()));
      }
      List<QueueEntry> entries = scanner.scan();
      try (PrintStream o = new PrintStream(stdout, false, StandardCharsets.UTF_8)) {
        order.get().print(o, system.queue().root().toString(), order.get().clock(), entries);
      }
    } catch (IOException | ConfigException e) {
      log.warning("uid=" + peer.uid() + ": postern queue: " + e.getMessage());
      return Optional.empty();
    }
    log.debug("uid=" + peer.uid() + ": postern queue: listing printed, exit 0");
    return Optional.of(new Outcome(stdout.toByteArray(), new byte[0], Sysexit.EX_OK.code()));
  }

  Outcome run(SendmailOptions opts, SubmitRequest request, ProcessIdentity peer) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    String program = request.program();
    int exit;
    try (PrintStream o = new PrintStream(stdout, false, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(stderr, false, StandardCharsets.UTF_8)) {
      for (String warning : system.config().mainCf().warnings()) {
        e.println(program + ": warning: " + warning);
      }
      Clock clock = Clock.system(ClientZone.of(Optional.ofNullable(request.env().get(TZ))));
      try {
        exit = ListingMode.run(MailqCommand.forPeer(system, clock, scanner, peer), opts, o, e);
      } catch (ConfigException x) {
        e.println(program + ": fatal: " + x.getMessage());
        exit = Sysexit.EX_CONFIG.code();
      } catch (RuntimeException x) {
        log.error("uid=" + peer.uid() + ": listing failed: " + x);
        e.println(program + ": fatal: internal error: " + x);
        exit = Sysexit.EX_SOFTWARE.code();
      }
    }
    log.debug("uid=" + peer.uid() + ": " + program + " listing served, exit " + exit);
    return new Outcome(stdout.toByteArray(), stderr.toByteArray(), exit);
  }
}
