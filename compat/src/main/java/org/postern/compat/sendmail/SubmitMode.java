package org.postern.compat.sendmail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.postern.engine.cleanup.AddressCheck;
import org.postern.engine.cleanup.AddressSyntax;
import org.postern.engine.cleanup.HeaderRecipients;
import org.postern.engine.cleanup.HeaderSection;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.postern.engine.global.Sysexit;
import org.postern.engine.global.TempFailException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.postdrop.MessageInput;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.ProcessIdentity;

/**
 * sendmail's default mode: read the message, check every recipient as sendmail 8 does at
 * submission (syntax: exit 64; unknown local user: exit 67), queue the message durably
 * through the {@link Intake}, report refused recipients the way -oe asks, then have the
 * intake start delivery as -od asks.
 *
 * <p>Trusts nothing from the user. The identity is injected: the kernel's word either way
 * (the running process for the command, the socket's peer credentials in the daemon); the
 * queue trusts only the intake's uid (maildrop file owner or socket peer), not anything
 * written here. Exit 0 only after the message is fsync'd. Not thread-safe (one per
 * submission); the command and the daemon run the same code.
 */
public final class SubmitMode {
  private final MailSystem system;
  private final SendmailOptions opts;
  private final Streams io;
  private final Map<String, String> env;
  private final ProcessIdentity me;
  private final Intake intake;

  /** {@code env} is consulted for {@code NAME} (the full name) only. */
  public SubmitMode(
      MailSystem system,
      SendmailOptions opts,
      Streams io,
      Map<String, String> env,
      ProcessIdentity me,
      Intake intake) {
    this.system = system;
    this.opts = opts;
    this.io = io;
    this.env = env;
    this.me = me;
    this.intake = intake;
  }

  public int run() throws ConfigException {
    // The envelope sender: -f/-r as given (checked), else the submitting user.
    String sender = me.name();
    if (opts.sender().isPresent()) {
      AddressCheck check = AddressSyntax.sender(opts.sender().get());
      if (check instanceof AddressCheck.Invalid bad) {
        io.err().println(bad.message());
        return Sysexit.EX_USAGE.code();
      }
      sender = ((AddressCheck.Valid) check).address();
    }

    // The message, with sendmail's dot and line-end rules.
    byte[] content;
    try {
      long limit = system.config().number(Params.MESSAGE_SIZE_LIMIT);
      content = new MessageInput(opts.ignoreDots(), limit).read(io.in());
    } catch (MessageInput.TooLargeException e) {
      io.err().println(
          io.program() + ": 552 5.3.4 Message size exceeds fixed maximum message size ("
              + e.limit() + ")");
      return Sysexit.EX_DATAERR.code();
    } catch (IOException e) {
      io.err().println(io.program() + ": cannot read message: " + e.getMessage());
      return Sysexit.EX_IOERR.code();
    }

    // Recipients: the command line, plus the headers with -t (union, spec a.3).
    List<String> given = new ArrayList<>(opts.recipients());
    if (opts.extractRecipients()) {
      given.addAll(HeaderRecipients.extract(HeaderSection.parse(content)).addresses());
    }
    if (given.isEmpty()) {
      if (opts.extractRecipients()) {
        io.err().println("No recipient addresses found in header");
        return (int) system.config().number(Params.SENDMAIL_NO_RECIPIENT_EXIT);
      }
      io.err().println("Recipient names must be specified");
      return Sysexit.EX_USAGE.code();
    }
    Checked checked = check(given);

    // Queue the message for every recipient that passed, durably, before saying so.
    Envelope envelope = envelope(sender, checked.accepted);
    Optional<QueueId> dropped = Optional.empty();
    if (!checked.accepted.isEmpty()) {
      try {
        dropped = Optional.of(intake.queue(envelope, content));
      } catch (TempFailException e) {
        io.err().println(io.program() + ": " + e.getMessage());
        return Sysexit.EX_TEMPFAIL.code();
      }
      if (opts.verbose()) {
        io.err().println(io.program() + ": queued as " + dropped.get());
      }
    }

    // Refused recipients, reported as -oe asks.
    int status = Sysexit.EX_OK.code();
    if (!checked.refused.isEmpty()) {
      status = new ErrorReport(system, opts, io, me, intake, sender, envelope, content)
          .report(checked.refused);
    }

    // Delivery, as -od asks.
    int delivery = intake.startDelivery(dropped);
    return status != Sysexit.EX_OK.code() ? status : delivery;
  }

  /** Recipients that passed the submission checks, and those refused (with their line). */
  private record Checked(List<String> accepted, List<Refusal> refused) {}

  private Checked check(List<String> given) throws ConfigException {
    Set<String> accepted = new LinkedHashSet<>();
    List<Refusal> refused = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String arg : given) {
      for (AddressCheck c : AddressSyntax.recipients(arg)) {
        if (c instanceof AddressCheck.Invalid bad) {
          refused.add(new Refusal(bad.input(), bad.message(), bad.dsn(), Sysexit.EX_USAGE));
          continue;
        }
        String address = ((AddressCheck.Valid) c).address();
        if (!seen.add(address.toLowerCase(Locale.ROOT))) {
          continue;
        }
        try {
          if (!system.knowsRecipient(address)) {
            refused.add(
                new Refusal(address, address + "... User unknown", "5.1.1", Sysexit.EX_NOUSER));
            continue;
          }
        } catch (TempFailException e) {
          // Cannot tell now: queue it; delivery decides (and retries) later.
        }
        accepted.add(address);
      }
    }
    return new Checked(new ArrayList<>(accepted), refused);
  }

  private Envelope envelope(String sender, List<String> rcpts) {
    String notify = notifyList();
    List<Recipient> recipients =
        rcpts.stream().map(r -> new Recipient(r, r, notify)).collect(Collectors.toList());
    Map<String, String> attrs = new HashMap<>();
    if (opts.sender().isPresent()) {
      attrs.put(Envelope.ATTR_SENDER_SET, "1");
    }
    String fullName = opts.fullName().orElse(env.getOrDefault("NAME", ""));
    if (!fullName.isEmpty()) {
      attrs.put(Envelope.ATTR_FULLNAME, fullName.replace('\r', ' ').replace('\n', ' '));
    }
    opts.bodyType().ifPresent(b -> attrs.put(Envelope.ATTR_BODY, b.keyword()));
    opts.dsnRet().ifPresent(r -> attrs.put(Envelope.ATTR_RET, r.name().toLowerCase(Locale.ROOT)));
    opts.envid().ifPresent(e -> attrs.put(Envelope.ATTR_ENVID, e));
    opts.hopCount().ifPresent(h -> attrs.put(Envelope.ATTR_HOPCOUNT, Integer.toString(h)));
    if (opts.gateway()) {
      attrs.put(Envelope.ATTR_GATEWAY, "1");
    }
    return new Envelope(
        System.currentTimeMillis(), me.uid(), me.name(), sender, recipients, attrs);
  }

  /** The RFC 3461 NOTIFY list of -N, as stored per recipient ("" = the default). */
  private String notifyList() {
    if (opts.dsnNotify().isEmpty()) {
      return "";
    }
    Set<DsnNotify> n = opts.dsnNotify().get();
    if (n.contains(DsnNotify.NEVER)) {
      return "never";
    }
    return n.stream()
        .map(d -> d.name().toLowerCase(Locale.ROOT))
        .sorted()
        .collect(Collectors.joining(","));
  }
}
