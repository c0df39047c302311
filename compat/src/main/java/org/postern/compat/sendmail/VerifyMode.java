package org.postern.compat.sendmail;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.cleanup.AddressCheck;
import org.postern.engine.cleanup.AddressSyntax;
import org.postern.engine.cleanup.VirtualAliasing;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.Sysexit;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.LocalRecipient;
import org.postern.engine.local.expand.Destination;
import org.postern.engine.local.expand.Expander;
import org.postern.engine.local.expand.Leaf;
import org.postern.engine.master.MailSystem;
import org.postern.maps.access.SmtpReply;

/**
 * {@code sendmail -bv}: says for each address where it would be delivered, in sendmail's
 * words, after the canonical maps, masquerading and virtusertable ({@code x... canonical_maps
 * FILE:LINE -> result}; a remote address's smtp_generic_maps entry likewise), alias,
 * .forward and :include: expansion ({@code bob... deliverable: mailer
 * local, user bob}, {@code "|cmd"... deliverable: mailer prog, user "|cmd"}, {@code x...
 * User unknown}), without sending anything.
 *
 * <p>Uses the same expander as local delivery. Exit 0 when everything is deliverable, else
 * the first failure's sysexits code (67 unknown user, 64 for a loop as sendmail, 75 when it
 * cannot tell now). Not thread-safe.
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
    Expander expander;
    try {
      expander = system.expander();
    } catch (IOException e) {
      io.err().println(io.program() + ": fatal: " + e.getMessage());
      return Sysexit.EX_OSERR.code();
    }
    int status = Sysexit.EX_OK.code();
    for (String arg : opts.recipients()) {
      for (AddressCheck c : AddressSyntax.recipients(arg)) {
        int s = verify(c, expander);
        if (status == Sysexit.EX_OK.code()) {
          status = s;
        }
      }
    }
    return status;
  }

  private int verify(AddressCheck c, Expander expander) {
    if (c instanceof AddressCheck.Invalid bad) {
      io.out().println(bad.message());
      return Sysexit.EX_USAGE.code();
    }
    String address = ((AddressCheck.Valid) c).address();
    try {
      VirtualAliasing.Rewrite w = system.rewriteRecipient(address);
      for (VirtualAliasing.Step step : w.steps()) {
        io.out().println(step.address() + "... " + step.describe());
      }
      if (w.refusal().isPresent()) {
        SmtpReply r = w.refusal().get();
        return failure(address, new DsnStatus(r.dsn(), r.text()));
      }
      int status = Sysexit.EX_OK.code();
      for (String a : w.addresses()) {
        int s = verify(a, expander);
        status = status == Sysexit.EX_OK.code() ? s : status;
      }
      return status;
    } catch (TempFailException e) {
      io.out().println(address + "... " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
  }

  /** One address virtusertable leaves alone, through the resolver and the expander. */
  private int verify(String address, Expander expander) {
    try {
      if (system.resolver().resolve(address) instanceof LocalRecipient.Remote remote) {
        Optional<VirtualAliasing.Step> sent = system.generic().step(address);
        if (sent.isPresent()) {
          io.out().println(address + "... " + sent.get().describe());
        }
        io.out().println(remoteLine(address, remote.domain()));
        return Sysexit.EX_OK.code();
      }
      int status = Sysexit.EX_OK.code();
      for (Leaf leaf : expander.expand(address, Set.of()).leaves()) {
        int s = print(leaf);
        if (status == Sysexit.EX_OK.code()) {
          status = s;
        }
      }
      return status;
    } catch (TempFailException e) {
      io.out().println(address + "... " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
  }

  private int print(Leaf leaf) {
    String member = leaf.path().get(leaf.path().size() - 1);
    Destination d = leaf.destination();
    if (d instanceof Destination.Mailbox m) {
      String name = member.startsWith("\\") ? member.substring(1) : member;
      io.out().println(name + "... deliverable: mailer local, user " + m.user().name());
    } else if (d instanceof Destination.Command) {
      io.out().println("\"" + member + "\"... deliverable: mailer prog, user \"" + member + "\"");
    } else if (d instanceof Destination.File f) {
      io.out().println(member + "... deliverable: mailer *file*, user " + f.path());
    } else if (d instanceof Destination.Forward f) {
      int at = f.address().lastIndexOf('@');
      io.out().println(remoteLine(f.address(), f.address().substring(at + 1)));
    } else if (d instanceof Destination.Unknown u) {
      return failure(member, u.status());
    } else {
      DsnStatus s = ((Destination.Failure) d).status();
      return failure(member, s);
    }
    return Sysexit.EX_OK.code();
  }

  private int failure(String member, DsnStatus s) {
    if (s.code().equals("5.1.1") && s.text().startsWith("unknown user")) {
      io.out().println(member + "... User unknown");
      return Sysexit.EX_NOUSER.code();
    }
    io.out().println(member + "... " + s.text());
    if (s.isTemporary()) {
      return Sysexit.EX_TEMPFAIL.code();
    }
    if (s.code().equals("5.4.6")) {
      return Sysexit.EX_USAGE.code(); // sendmail -bv on a loop exits 64 (spec c.3)
    }
    return s.code().startsWith("5.1.") ? Sysexit.EX_NOUSER.code() : Sysexit.EX_UNAVAILABLE.code();
  }

  private static String remoteLine(String address, String domain) {
    return address + "... deliverable: mailer esmtp, host " + domain + ", user " + address;
  }
}
