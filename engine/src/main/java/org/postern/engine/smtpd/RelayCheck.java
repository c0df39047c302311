package org.postern.engine.smtpd;

import org.postern.engine.global.TempFailException;

/**
 * Relay control, closed by default (sendmail since 8.9; Postfix reject_unauth_destination):
 * mail for another host is taken only from a trusted client (mynetworks, {@code sendmail
 * -bs}, SMTP AUTH, an access map {@code Connect:} RELAY), or for a destination we answer for
 * (our own, virtusertable and virtual_mailbox_domains domains, {@code relay_domains}, an
 * access map {@code To:}
 * RELAY), and then only when the local part holds no routing of its own
 * ({@code user%host@relay.example}, Postfix's "sender-specified routing"), which the next
 * hop might obey.
 *
 * <p>Trusts the client facts the session built and the address already unwrapped for our own
 * domains. Table failures are TempFailExceptions. Thread-safe.
 */
final class RelayCheck {
  /**
   * How the recipient's domain relates to us, as the policy resolved it: mydestination,
   * virtusertable, virtual_mailbox_domains, or another host's.
   */
  enum Destination { LOCAL, VIRTUAL, MAILBOX, OTHER }

  private final NetworkList mynetworks;
  private final DomainList relayDomains;
  private final AccessCheck access;

  RelayCheck(NetworkList mynetworks, DomainList relayDomains, AccessCheck access) {
    this.mynetworks = mynetworks;
    this.relayDomains = relayDomains;
    this.access = access;
  }

  /** Whether the client may relay through us at all (permit_mynetworks and its kin). */
  boolean trusts(ClientFacts client) throws TempFailException {
    return client.local()
        || client.authenticated()
        || mynetworks.contains(client.address())
        || access.relaysFor(client);
  }

  /** Whether mail for {@code rcpt} may be accepted from {@code client}. */
  boolean permits(ClientFacts client, RecipientAddress rcpt, Destination where)
      throws TempFailException {
    if (trusts(client)) {
      return true;
    }
    if (rcpt.routed()) {
      return false;
    }
    if (where != Destination.OTHER) {
      return true;
    }
    String domain = rcpt.domain().orElseThrow();
    return !rcpt.literal() && (relayDomains.contains(domain) || access.relaysTo(domain));
  }
}
