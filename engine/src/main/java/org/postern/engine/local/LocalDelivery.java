package org.postern.engine.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.bounce.RecipientReport;
import org.postern.engine.cleanup.MessageHead;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Transport;
import org.postern.engine.local.expand.Destination;
import org.postern.engine.local.expand.Expander;
import org.postern.engine.local.expand.Expansion;
import org.postern.engine.local.expand.Leaf;
import org.postern.engine.local.file.FileDelivery;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.local.pipe.CommandDelivery;
import org.postern.engine.local.pipe.CommandEnvironment;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * The local delivery agent (Postfix's local(8)): refuses mail that has looped too often,
 * expands the recipient (aliases, .forward, :include:), and delivers each destination once:
 * mailboxes (through {@code mailbox_transport}, which also takes local names nobody owns,
 * else {@link MailboxDelivery}), commands, files; addresses elsewhere become a
 * forwarded copy and errors of a list with an {@code owner-LIST} a notice to the owner, both
 * given to the caller's {@link Handoff} (queued here, or carried back to the daemon).
 *
 * <p>Trusts the validated queue file and the expander. The recipient's outcome: deferred if
 * any destination is (those delivered are remembered in {@code progress} and not repeated),
 * else bounced naming every failed destination ("expanded from" the recipient), else
 * delivered. Thread-safe.
 */
public final class LocalDelivery {
  /** The parts that carry out deliveries. */
  public record Agents(
      MailboxDelivery mailboxes, CommandDelivery commands, FileDelivery files) {}

  private final Expander expander;
  private final Agents agents;
  private final int hopLimit;
  private final String delimiter;
  private final MailLog log;
  private final Optional<MailboxTransport> mailboxTransport;

  public LocalDelivery(Expander expander, Agents agents, int hopLimit, String delimiter,
      MailLog log) {
    this(expander, agents, hopLimit, delimiter, log, Optional.empty());
  }

  private LocalDelivery(Expander expander, Agents agents, int hopLimit, String delimiter,
      MailLog log, Optional<MailboxTransport> mailboxTransport) {
    this.expander = expander;
    this.agents = agents;
    this.hopLimit = hopLimit;
    this.delimiter = delimiter;
    this.log = log;
    this.mailboxTransport = mailboxTransport;
  }

  /** This agent with mailbox deliveries handed to {@code transport} (mailbox_transport). */
  public LocalDelivery passingMailboxesTo(MailboxTransport transport) {
    return new LocalDelivery(expander, agents, hopLimit, delimiter, log,
        Optional.of(transport));
  }

  /** The transport the queue manager calls when delivery is in its own process. */
  public Transport handingOffTo(Handoff handoff) {
    return new Transport() {
      @Override
      public String name() {
        return "local";
      }

      @Override
      public DeliveryOutcome deliver(
          QueueId id, QueueFile message, Recipient recipient, DestinationProgress progress) {
        return LocalDelivery.this.deliver(id, message, recipient, progress, handoff);
      }
    };
  }

  /**
   * Delivers {@code recipient} of message {@code id}; forwarded copies and list owners'
   * notices go to {@code handoff}.
   */
  public DeliveryOutcome deliver(QueueId id, QueueFile message, Recipient recipient,
      DestinationProgress progress, Handoff handoff) {
    try {
      MessageHead head = MessageHead.of(message);
      if (head.hops() > hopLimit) {
        return DeliveryOutcome.bounced("5.4.6", "too many hops (more than " + hopLimit + ")");
      }
      Expansion x = expander.expand(recipient.address(), head.deliveredTo());
      return new Attempt(id, message, recipient, progress, x, handoff).run();
    } catch (MailException e) {
      return DeliveryOutcome.of(e);
    }
  }

  /** One recipient's deliveries: each leaf, then forwards, then owners' notices. */
  private final class Attempt {
    private final QueueId id;
    private final QueueFile message;
    private final Recipient recipient;
    private final DestinationProgress progress;
    private final Expansion expansion;
    private final Handoff handoff;
    private final Envelope env;
    private DeliveryOutcome deferred;
    private DeliveryOutcome bounced;
    private int delivered;
    private final Map<String, List<Leaf>> forwards = new LinkedHashMap<>();
    private final Map<String, List<RecipientReport>> ownerFailures = new LinkedHashMap<>();

    Attempt(QueueId id, QueueFile message, Recipient recipient, DestinationProgress progress,
        Expansion expansion, Handoff handoff) {
      this.id = id;
      this.message = message;
      this.recipient = recipient;
      this.progress = progress;
      this.expansion = expansion;
      this.handoff = handoff;
      this.env = message.envelope();
    }

    DeliveryOutcome run() {
      List<Leaf> leaves = expansion.leaves();
      if (leaves.size() == 1 && leaves.get(0).path().size() == 1
          && !(leaves.get(0).destination() instanceof Destination.Forward)) {
        // Nothing expanded: the recipient is its own destination (mailbox or failure).
        return deliverOne(leaves.get(0));
      }
      for (Leaf leaf : leaves) {
        Destination d = leaf.destination();
        if (progress.isDone(d.key())) {
          delivered++;
        } else if (d instanceof Destination.Forward) {
          forwards.computeIfAbsent(sender(leaf), s -> new ArrayList<>()).add(leaf);
        } else {
          settle(leaf, deliverOne(leaf));
        }
      }
      forwardAll();
      notifyOwners();
      if (deferred != null) {
        return deferred;
      }
      if (bounced != null) {
        return bounced;
      }
      return DeliveryOutcome.delivered("2.0.0", "delivered to " + delivered + " destination"
          + (delivered == 1 ? "" : "s") + " (expanded from " + recipient.address() + ")");
    }

    private DeliveryOutcome deliverOne(Leaf leaf) {
      Destination d = leaf.destination();
      Optional<String> passed = passedAddress(d);
      if (passed.isPresent()) {
        // mailbox_transport: the store logs this destination's line itself.
        progress.markLoggedPerDestination();
        return mailboxTransport.get().deliver(id, message,
            new Recipient(passed.get(), recipient.original(), recipient.notifyList()));
      }
      if (d instanceof Destination.Mailbox m) {
        return agents.mailboxes().deliver(m, environment(leaf, m.address(), RunAs.of(m.user())),
            mboxMessage(leaf, List.of("Delivered-To: " + m.address())));
      }
      if (d instanceof Destination.Command c) {
        return agents.commands().deliver(c.command(), c.as(),
            environment(leaf, c.address(), c.as()),
            mboxMessage(leaf, deliveredTo(leaf, c.address())));
      }
      if (d instanceof Destination.File f) {
        return agents.files().deliver(f.path(), f.as(),
            mboxMessage(leaf, deliveredTo(leaf, null)));
      }
      if (d instanceof Destination.Unknown u) {
        return new DeliveryOutcome.Bounced(u.status());
      }
      Destination.Failure failure = (Destination.Failure) d;
      return failure.status().isTemporary()
          ? new DeliveryOutcome.Deferred(failure.status())
          : new DeliveryOutcome.Bounced(failure.status());
    }

    /**
     * The address a destination is handed to mailbox_transport with: a user's mailbox, and,
     * as Postfix's local(8) tries mailbox_transport before its passwd lookup, a local name
     * nobody owns (the store decides whether it exists).
     */
    private Optional<String> passedAddress(Destination d) {
      if (mailboxTransport.isEmpty()) {
        return Optional.empty();
      }
      if (d instanceof Destination.Mailbox m) {
        return Optional.of(m.address());
      }
      return d instanceof Destination.Unknown u ? Optional.of(u.address()) : Optional.empty();
    }

    /** Records one leaf's outcome for the recipient's, logging expanded deliveries. */
    private void settle(Leaf leaf, DeliveryOutcome o) {
      boolean expanded = leaf.path().size() > 1;
      boolean passed = passedAddress(leaf.destination()).isPresent();
      if (expanded && !passed) {
        logLeaf(leaf, o);
        progress.markLoggedPerDestination();
      }
      if (o instanceof DeliveryOutcome.Delivered) {
        progress.markDone(leaf.destination().key());
        delivered++;
      } else if (o instanceof DeliveryOutcome.Deferred) {
        if (deferred == null) {
          deferred = expanded ? new DeliveryOutcome.Deferred(explained(leaf, o.status())) : o;
        }
      } else if (leaf.owner().isPresent() && !env.isNullSender()) {
        // The list's owner hears of it, not the sender; the list itself was delivered.
        ownerFailures.computeIfAbsent(leaf.owner().get(), k -> new ArrayList<>())
            .add(report(leaf, o.status()));
        progress.markDone(leaf.destination().key());
        delivered++;
      } else {
        // Every failed destination is named in the one status the sender gets.
        DsnStatus s = expanded ? explained(leaf, o.status()) : o.status();
        bounced = new DeliveryOutcome.Bounced(bounced == null ? s
            : new DsnStatus(bounced.status().code(), bounced.status().text() + "; " + s.text()));
      }
    }

    private void forwardAll() {
      for (Map.Entry<String, List<Leaf>> group : forwards.entrySet()) {
        List<Recipient> to = new ArrayList<>();
        Set<String> headers = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Leaf leaf : group.getValue()) {
          Destination.Forward f = (Destination.Forward) leaf.destination();
          to.add(new Recipient(f.address(), recipient.original(), recipient.notifyList()));
          for (String a : leaf.expandedFrom()) {
            headers.add("Delivered-To: " + a);
          }
          keys.add(f.key());
        }
        ForwardedCopy copy = new ForwardedCopy(QueueId.next(), group.getKey(), to,
            List.copyOf(headers), keys);
        try {
          handoff.forward(id, message, copy);
          for (Leaf leaf : group.getValue()) {
            settle(leaf, DeliveryOutcome.delivered("2.0.0", "forwarded as " + copy.id()));
          }
        } catch (IOException e) {
          for (Leaf leaf : group.getValue()) {
            settle(leaf, DeliveryOutcome.deferred("4.3.0", "cannot queue forwarded copy: " + e));
          }
        }
      }
    }

    private void notifyOwners() {
      for (Map.Entry<String, List<RecipientReport>> e : ownerFailures.entrySet()) {
        try {
          handoff.notifyOwner(id, message, new OwnerNotice(e.getKey(), e.getValue()));
        } catch (IOException ex) {
          log.warning(id + ": cannot queue notice to list owner " + e.getKey() + ": " + ex);
        }
      }
    }

    private RecipientReport report(Leaf leaf, DsnStatus status) {
      Destination d = leaf.destination();
      String address = d instanceof Destination.Failure f ? f.address() : leaf.path()
          .get(leaf.path().size() - 1);
      return new RecipientReport(new Recipient(address, recipient.original(), ""),
          status, RecipientReport.LOCAL, status.text(), Optional.empty(),
          System.currentTimeMillis());
    }

    private void logLeaf(Leaf leaf, DeliveryOutcome o) {
      String status = o instanceof DeliveryOutcome.Delivered ? "sent"
          : o instanceof DeliveryOutcome.Bounced ? "bounced" : "deferred";
      double delay = Math.max(0, System.currentTimeMillis() - env.arrivalMillis()) / 1000.0;
      log.info(id + ": to=<" + describe(leaf) + ">, orig_to=<" + recipient.address()
          + ">, relay=local, delay=" + String.format(Locale.ROOT, "%.2f", delay) + ", dsn="
          + o.status().code() + ", status=" + status + " (" + o.reason() + ")");
    }

    /** The status with the way the recipient led to this destination. */
    private DsnStatus explained(Leaf leaf, DsnStatus s) {
      return new DsnStatus(s.code(), describe(leaf) + " (expanded from "
          + String.join(" -> ", leaf.path().subList(0, leaf.path().size() - 1)) + "): "
          + s.text());
    }

    private String describe(Leaf leaf) {
      Destination d = leaf.destination();
      if (d instanceof Destination.Mailbox m) {
        return m.address();
      }
      return leaf.path().get(leaf.path().size() - 1);
    }

    private String sender(Leaf leaf) {
      return env.isNullSender() ? "" : leaf.owner().orElse(env.sender());
    }

    private MboxMessage mboxMessage(Leaf leaf, List<String> deliveredTo) {
      List<String> headers = new ArrayList<>();
      headers.add("Return-Path: <" + sender(leaf) + ">");
      headers.add("X-Original-To: " + recipient.original());
      headers.addAll(deliveredTo);
      return new MboxMessage(sender(leaf), headers, message::openContent,
          Optional.of(id.value()));
    }

    private List<String> deliveredTo(Leaf leaf, String address) {
      Set<String> all = new LinkedHashSet<>();
      if (address != null) {
        all.add(address);
      }
      all.addAll(leaf.expandedFrom());
      List<String> out = new ArrayList<>();
      for (String a : all) {
        out.add("Delivered-To: " + a);
      }
      return out;
    }

    private CommandEnvironment environment(Leaf leaf, String address, RunAs as) {
      int at = address.lastIndexOf('@');
      String local = at < 0 ? address : address.substring(0, at);
      String domain = at < 0 ? "" : address.substring(at + 1);
      int d = delimiter.isEmpty() ? -1 : local.indexOf(delimiter);
      String extension = d > 0 ? local.substring(d + delimiter.length()) : "";
      return new CommandEnvironment(sender(leaf), address, recipient.original(), as.user(),
          extension, domain, local, as.home().toString(), as.shell());
    }
  }
}
