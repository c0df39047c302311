package org.postern.compat.sendmail;

import org.postern.engine.cleanup.AddressCheck;
import org.postern.engine.cleanup.AddressSyntax;
import org.postern.engine.global.Sysexit;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.LocalRecipient;
import org.postern.engine.master.MailSystem;

/**
 * {@code sendmail -bv}: says for each address whether it is deliverable, in sendmail's
 * words ({@code bob... deliverable: mailer local, user bob} / {@code x... User unknown}),
 * without sending anything.
 *
 * <p>Uses the same resolver as submission and delivery. Exit 0 when all are deliverable,
 * else the first failure's sysexits code. Not thread-safe.
 */
final class VerifyMode {
  private final MailSystem system;
  private final SendmailOptions opts;
  private final Streams io;

  VerifyMode(MailSystem system, SendmailOptions opts, Streams io) {
    this.system = system;
    this.opts = opts;
    this.io = io;
  }

  int run() {
    if (opts.recipients().isEmpty()) {
      io.err().println("Recipient names must be specified");
      return Sysexit.EX_USAGE.code();
    }
    int status = Sysexit.EX_OK.code();
    for (String arg : opts.recipients()) {
      for (AddressCheck c : AddressSyntax.recipients(arg)) {
        int s = verify(c);
        if (status == Sysexit.EX_OK.code()) {
          status = s;
        }
      }
    }
    return status;
  }

  private int verify(AddressCheck c) {
    if (c instanceof AddressCheck.Invalid bad) {
      io.out().println(bad.message());
      return Sysexit.EX_USAGE.code();
    }
    String address = ((AddressCheck.Valid) c).address();
    LocalRecipient r;
    try {
      r = system.resolver().resolve(address);
    } catch (TempFailException e) {
      io.out().println(address + "... " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
    if (r instanceof LocalRecipient.User u) {
      io.out().println(address + "... deliverable: mailer local, user " + u.user().name());
      return Sysexit.EX_OK.code();
    }
    if (r instanceof LocalRecipient.Remote remote) {
      io.out().println(
          address + "... deliverable: mailer esmtp, host " + remote.domain() + ", user " + address);
      return Sysexit.EX_OK.code();
    }
    io.out().println(address + "... User unknown");
    return Sysexit.EX_NOUSER.code();
  }
}
