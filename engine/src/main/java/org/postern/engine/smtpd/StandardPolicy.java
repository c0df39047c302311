package org.postern.engine.smtpd;

import java.util.Optional;
import org.postern.engine.cleanup.VirtualAliasing;
import org.postern.engine.dns.Resolver;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfiguredTable;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.smtpd.RelayCheck.Destination;
import org.postern.maps.Table;
import org.postern.maps.TableOpener;
import org.postern.maps.access.AccessMap;

/**
 * The SMTP server's policy as sendmail and Postfix ship it: the access map at connect, MAIL
 * and RCPT; relay control closed by default; recipients of our own domains checked against
 * the local users and aliases, those virtusertable rewrites refused unless every result is,
 * those of virtual_mailbox_domains against virtual_mailbox_maps when set; DNS checks of
 * the client (smtpd_dnsbl_zones), its HELO name and the sender's domain, which trusted
 * clients skip (sendmail -bs, mynetworks, an access map {@code Connect:} OK or RELAY).
 *
 * <p>Trusts nothing of the client's addresses: a recipient is parsed, its source route
 * dropped, its domain normalised, and routing in its local part ({@code user%host},
 * {@code "user@host"}, {@code host!user}) followed for our own domains and refused for
 * others, all before any relay decision. Opens its tables once; hash tables follow postmap
 * rebuilds. A lookup that cannot be done now is a TempFailException (451 4.3.0) or the
 * check's own 4xx, never an accept (except a DNSBL: no answer, no listing). Thread-safe.
 */
public final class StandardPolicy implements SmtpPolicy {
  private final MailSystem system;
  private final AccessCheck access;
  private final VirtualRecipients virtual;
  private final VirtualMailboxes mailboxes;
  private final LocalDomains localDomains;
  private final RelayCheck relay;
  private final boolean rejectUnlisted;
  private final DnsblCheck dnsbl;
  private final HeloCheck heloCheck;
  private final Optional<SenderDomainCheck> senderDomain;

  /**
   * Opens access_map, virtusertable_map and virtual_mailbox_maps, reads mynetworks, relay_domains and the DNS
   * checks' settings; DNS lookups go through the resolver main.cf describes.
   */
  public StandardPolicy(Config config, MailSystem system) throws ConfigException {
    TableOpener opener = new TableOpener(config.root(), system.log("smtpd")::warning);
    Table accessTable = ConfiguredTable.open(config, Params.ACCESS_MAP, opener);
    Table virtualTable = ConfiguredTable.open(config, Params.VIRTUSERTABLE_MAP, opener);
    this.system = system;
    this.access = new AccessCheck(new AccessMap(accessTable));
    this.virtual = new VirtualRecipients(virtualTable);
    this.mailboxes = VirtualMailboxes.from(config, opener);
    this.localDomains = new LocalDomains(config);
    this.relay = new RelayCheck(NetworkList.from(config, Params.MYNETWORKS),
        DomainList.from(config, Params.RELAY_DOMAINS, opener), access);
    this.rejectUnlisted = config.bool(Params.SMTPD_REJECT_UNLISTED_RECIPIENT);
    Resolver resolver = Resolver.from(config);
    MailLog log = system.log("smtpd");
    this.dnsbl = DnsblCheck.from(config, resolver, log);
    this.heloCheck = new HeloCheck(config.bool(Params.SMTPD_REJECT_INVALID_HELO_HOSTNAME),
        config.bool(Params.SMTPD_REJECT_UNKNOWN_HELO_HOSTNAME), resolver, log);
    this.senderDomain = config.bool(Params.ACCEPT_UNRESOLVABLE_DOMAINS)
        ? Optional.empty() : Optional.of(new SenderDomainCheck(config, resolver));
  }

  /**
   * The access map's {@code Connect:} entry, then the DNSBLs. sendmail's choice of stage:
   * looked up once per connection (Postfix asks at RCPT, where an AUTH client could be
   * exempted; the verdict waits for RCPT here as well, see MailCommands).
   */
  @Override
  public Verdict connect(ClientFacts client) throws TempFailException {
    Verdict listed = access.client(client);
    if (!listed.equals(Verdict.OK) || relay.trusts(client)) {
      return listed;
    }
    return dnsbl.check(client);
  }

  /** The HELO name's syntax and existence (Postfix reject_*_helo_hostname). */
  @Override
  public Verdict helo(ClientFacts client, String name) throws TempFailException {
    return exempt(client) ? Verdict.OK : heloCheck.check(name);
  }

  /** The access map's {@code From:} entry, then whether the sender's domain resolves. */
  @Override
  public Verdict mailFrom(ClientFacts client, String sender) throws TempFailException {
    Verdict listed = access.sender(sender);
    if (!listed.equals(Verdict.OK) || senderDomain.isEmpty() || exempt(client)) {
      return listed;
    }
    return senderDomain.get().check(sender);
  }

  @Override
  public RcptDecision rcptTo(ClientFacts client, String sender, String recipient)
      throws TempFailException {
    // Hygiene first: nothing below sees an address we could not take apart.
    Optional<RecipientAddress> parsed = RecipientAddress.parse(recipient);
    if (parsed.isPresent()) {
      parsed = followLocalRouting(parsed.get());
    }
    if (parsed.isEmpty()) {
      return new RcptDecision(PolicyReplies.badRecipientSyntax(), recipient);
    }
    RecipientAddress rcpt = parsed.get();
    Destination where = destination(rcpt);

    // The access map's To: entries may refuse any recipient, relayed or not.
    Verdict listed = access.recipient(rcpt.toString(), where == Destination.LOCAL);
    if (listed instanceof Verdict.Reject || listed instanceof Verdict.Discard) {
      return new RcptDecision(listed, rcpt.toString());
    }
    if (!relay.permits(client, rcpt, where)) {
      return new RcptDecision(PolicyReplies.relayDenied(recipient), rcpt.toString());
    }

    // Ours: the recipient must exist (or virtusertable says what it becomes).
    RcptDecision known = resolve(recipient, rcpt, where);
    if (known.verdict() instanceof Verdict.Reject) {
      return known;
    }
    return new RcptDecision(listed, known.deliverTo());
  }

  /** sendmail skips its DNS checks for relay clients and access map OK or RELAY clients. */
  private boolean exempt(ClientFacts client) throws TempFailException {
    return relay.trusts(client)
        || access.client(client) instanceof Verdict.Accept a && a.decisive();
  }

  /**
   * Takes routing hops off the local part while the address is for us, as Postfix's resolver
   * does ({@code user%host@us} is {@code user@host}); empty when a hop leaves no address.
   * Each hop shortens the local part, so the loop ends.
   */
  private Optional<RecipientAddress> followLocalRouting(RecipientAddress address)
      throws TempFailException {
    RecipientAddress a = address;
    while (a.routed() && localDomains.isLocal(a)) {
      Optional<RecipientAddress> next = a.unwrap();
      if (next.isEmpty()) {
        return next;
      }
      a = next.get();
    }
    return Optional.of(a);
  }

  private Destination destination(RecipientAddress rcpt) throws TempFailException {
    if (localDomains.isLocal(rcpt)) {
      return Destination.LOCAL;
    }
    if (!rcpt.literal() && virtual.hosts(rcpt.domain().orElseThrow())) {
      return Destination.VIRTUAL;
    }
    if (!rcpt.literal() && mailboxes.hosts(rcpt.domain().orElseThrow())) {
      return Destination.MAILBOX;
    }
    return Destination.OTHER;
  }

  /** What an accepted recipient becomes, or the reject for one that does not exist. */
  private RcptDecision resolve(String given, RecipientAddress rcpt, Destination where)
      throws TempFailException {
    if (where == Destination.OTHER) {
      return new RcptDecision(Verdict.OK, rcpt.toString());
    }
    // sendmail applies virtusertable to its own domains ($=w) as well as to virtual ones;
    // cleanup rewrites the queued recipient, so here every result must be deliverable:
    // refused now rather than accepted and bounced to a sender who may be forged.
    if (rcpt.domain().isPresent() && !rcpt.literal()) {
      VirtualAliasing.Rewrite w = system.virtual().rewrite(rcpt.toString());
      if (w.refusal().isPresent()) {
        return new RcptDecision(PolicyReplies.fromTable(w.refusal().get()), rcpt.toString());
      }
      if (w.rewritten()) {
        for (String a : w.addresses()) {
          if (!system.knowsRecipient(a)) {
            return new RcptDecision(PolicyReplies.unknownLocal(given), rcpt.toString());
          }
        }
        return new RcptDecision(Verdict.OK, rcpt.toString());
      }
    }
    if (where == Destination.VIRTUAL) {
      Verdict v = rejectUnlisted ? PolicyReplies.unknownVirtual(given) : Verdict.OK;
      return new RcptDecision(v, rcpt.toString());
    }
    if (where == Destination.MAILBOX) {
      Verdict v = rejectUnlisted && !mailboxes.knows(rcpt.toString())
          ? PolicyReplies.unknownVirtualMailbox(given) : Verdict.OK;
      return new RcptDecision(v, rcpt.toString());
    }
    // A literal of our own address is delivered as the bare local part, which the queue
    // qualifies with myorigin like any unqualified recipient.
    String mailbox = rcpt.literal()
        ? new RecipientAddress(rcpt.local(), Optional.empty()).toString() : rcpt.toString();
    if (rejectUnlisted && !system.knowsRecipient(mailbox)) {
      return new RcptDecision(PolicyReplies.unknownLocal(given), mailbox);
    }
    return new RcptDecision(Verdict.OK, mailbox);
  }
}
