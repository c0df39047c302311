package org.postern.compat.admin;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.cleanup.VirtualAliasing;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.Params;
import org.postern.engine.global.Sysexit;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.LocalRecipient;
import org.postern.engine.local.expand.Destination;
import org.postern.engine.local.expand.Expansion;
import org.postern.engine.local.expand.ExpansionNode;
import org.postern.engine.master.MailSystem;

/**
 * {@code postern explain ADDRESS...}: prints the whole expansion tree delivery would
 * follow — recipient_canonical_maps, canonical_maps, masquerading and virtusertable
 * ({@code ADDRESS: canonical_maps FILE:LINE -> result}), aliases, :include: files, .forward
 * files, and the final mailboxes, commands, files, forwarded addresses and remote addresses
 * (with their smtp_generic_maps form) — one line per step, {@code MEMBER: WHAT [FILE:LINE]},
 * indented by depth, so an admin sees which entry of which file sends mail where.
 *
 * <p>Reads the instance's tables and users exactly as delivery does; delivers nothing.
 * Exit 0 when every branch ends in a destination, 67 when one fails (unknown user, loop,
 * error:), 75 when a lookup cannot be done now, 78 for a broken configuration.
 */
final class ExplainVerb implements Verb {
  @Override
  public String usage() {
    return "usage: postern [-C config_dir] explain ADDRESS...";
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    if (args.isEmpty()) {
      throw new UsageException("explain needs an address");
    }
    try {
      MailSystem system = MailSystem.open(Config.load(inv.configDir()));
      int status = Sysexit.EX_OK.code();
      for (String address : args) {
        int s = explain(inv, system, address);
        status = status == Sysexit.EX_OK.code() ? s : status;
      }
      return status;
    } catch (ConfigException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (IOException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_OSERR.code();
    } catch (TempFailException e) {
      inv.complain(e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
  }

  private int explain(Invocation inv, MailSystem system, String address)
      throws IOException, TempFailException {
    VirtualAliasing.Rewrite w = system.rewriteRecipient(address);
    for (VirtualAliasing.Step step : w.steps()) {
      inv.out().println(step.address() + ": " + step.describe());
    }
    if (w.refusal().isPresent()) {
      inv.out().println(address + ": bounced " + w.refusal().get());
      return Sysexit.EX_NOUSER.code();
    }
    int status = Sysexit.EX_OK.code();
    for (String a : w.addresses()) {
      int s = explainUnaliased(inv, system, a);
      status = status == Sysexit.EX_OK.code() ? s : status;
    }
    return status;
  }

  private int explainUnaliased(Invocation inv, MailSystem system, String address)
      throws IOException, TempFailException {
    if (system.resolver().resolve(address) instanceof LocalRecipient.Remote r) {
      inv.out().println(address + ": not local: relayed to " + r.domain());
      Optional<VirtualAliasing.Step> sent = system.generic().step(address);
      if (sent.isPresent()) {
        inv.out().println("  " + address + ": sent as " + sent.get().describe());
      }
      return Sysexit.EX_OK.code();
    }
    Expansion x = system.expander().expand(address, Set.of());
    Printer p = new Printer(inv, system);
    p.print(x.root(), 0, "");
    return p.failed ? Sysexit.EX_NOUSER.code() : Sysexit.EX_OK.code();
  }

  /** Writes the tree; remembers whether a branch failed. */
  private static final class Printer {
    private final Invocation inv;
    private final MailSystem system;
    private boolean failed;

    Printer(Invocation inv, MailSystem system) {
      this.inv = inv;
      this.system = system;
    }

    /** Prints {@code n}; members written in an alias entry show the entry's FILE:LINE. */
    void print(ExpansionNode n, int depth, String aliasAt) throws TempFailException {
      String at = "";
      StringBuilder line = new StringBuilder("  ".repeat(depth)).append(n.member()).append(": ");
      if (n.duplicate()) {
        line.append("duplicate of an earlier destination, delivered once");
      } else if (n.destination().isPresent()) {
        line.append(describe(n.destination().get()));
      } else {
        line.append(n.via());
        if (n.alias().isPresent()) {
          at = system.aliases().definedAt(n.alias().get()).orElse("");
          if (!at.isEmpty()) {
            line.append(", defined at ").append(at);
          }
        }
      }
      String origin = !aliasAt.isEmpty() && aliasAt.startsWith(n.origin() + ":")
          ? aliasAt : n.origin();
      if (!origin.isEmpty()) {
        line.append("  [").append(origin).append(']');
      }
      inv.out().println(line);
      for (ExpansionNode child : n.children()) {
        print(child, depth + 1, at);
      }
    }

    private String describe(Destination d) {
      if (d instanceof Destination.Mailbox m) {
        return "mailbox " + system.config().path(Params.MAIL_SPOOL_DIRECTORY)
            .resolve(m.user().name()) + ", user " + m.user().name();
      }
      if (d instanceof Destination.Command c) {
        return "command \"" + c.command() + "\", runs as " + c.as().user() + " (uid "
            + c.as().uid() + ")";
      }
      if (d instanceof Destination.File f) {
        return "file " + f.path() + ", written as " + f.as().user() + " (uid " + f.as().uid()
            + ")";
      }
      if (d instanceof Destination.Forward f) {
        return "forwarded to " + f.address() + " (a new message through the queue)";
      }
      DsnStatus s = d instanceof Destination.Unknown u ? u.status()
          : ((Destination.Failure) d).status();
      failed = true;
      return (s.isTemporary() ? "deferred " : "bounced ") + s.code() + " " + s.text();
    }
  }
}
