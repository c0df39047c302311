package org.postern.compat.submit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.postern.compat.mailq.ClientZone;
import org.postern.compat.mailq.MailqCommand;
import org.postern.compat.sendmail.ListingMode;
import org.postern.compat.sendmail.SendmailOptions;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.showq.QueueScanner;
import org.postern.engine.util.ProcessIdentity;

/**
 * The daemon's answer to a listing on the submission socket (REPLY in {@link
 * SubmitProtocol}): mailq, {@code sendmail -bp} and {@code -bP} run here for the peer, with
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
