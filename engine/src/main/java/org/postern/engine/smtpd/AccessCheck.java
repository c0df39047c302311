package org.postern.engine.smtpd;

import java.util.Optional;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.access.AccessLookup;
import org.postern.maps.access.AccessMap;
import org.postern.maps.access.AccessResult;

/**
 * sendmail's access map at each SMTP stage: {@code Connect:} for the client, {@code From:}
 * for the sender, {@code To:} for the recipient, in the lookup orders {@link AccessMap}
 * implements, and the verdict each action stands for (OK and RELAY decide the stage, REJECT
 * and ERROR refuse with their reply, DISCARD and QUARANTINE accept and divert the message).
 *
 * <p>Trusts the addresses it is given to be parsed already. A table failure is a
 * TempFailException (4.3.0), never "no entry". Thread-safe.
 */
final class AccessCheck {
  private final AccessMap map;

  AccessCheck(AccessMap map) {
    this.map = map;
  }

  /** Connect: the client's verified name and parents, then its address and prefixes. */
  Verdict client(ClientFacts client) throws TempFailException {
    try {
      return verdict(map.client(verifiedName(client), client.address()));
    } catch (LookupException e) {
      throw failure(e);
    }
  }

  /** From: the envelope sender; the null sender is never looked up (RFC 5321 section 4.5.5). */
  Verdict sender(String sender) throws TempFailException {
    try {
      return verdict(map.sender(sender));
    } catch (LookupException e) {
      throw failure(e);
    }
  }

  /** To: the recipient (blocklist_recipients); REJECT is 550 5.2.1 Mailbox disabled. */
  Verdict recipient(String recipient, boolean localDomain) throws TempFailException {
    try {
      return verdict(map.recipient(recipient, localDomain));
    } catch (LookupException e) {
      throw failure(e);
    }
  }

  /** Whether a {@code Connect:} RELAY entry covers the client. */
  boolean relaysFor(ClientFacts client) throws TempFailException {
    try {
      return map.relayClient(verifiedName(client), client.address()).match().isPresent();
    } catch (LookupException e) {
      throw failure(e);
    }
  }

  /** Whether a {@code To:} RELAY entry covers the recipient domain or a parent. */
  boolean relaysTo(String domain) throws TempFailException {
    try {
      // relayRecipient reports whatever entry it found; only RELAY opens the relay.
      return map.relayRecipient(domain).action()
          .filter(a -> a instanceof AccessResult.Relay).isPresent();
    } catch (LookupException e) {
      throw failure(e);
    }
  }

  private static Verdict verdict(AccessLookup lookup) {
    if (lookup.action().isEmpty()) {
      return Verdict.OK;
    }
    AccessResult action = lookup.action().get();
    if (action instanceof AccessResult.Ok || action instanceof AccessResult.Relay) {
      return new Verdict.Accept(true);
    }
    if (action instanceof AccessResult.Reject r) {
      return PolicyReplies.fromTable(r.reply());
    }
    if (action instanceof AccessResult.Error e) {
      return PolicyReplies.fromTable(e.reply());
    }
    if (action instanceof AccessResult.Discard) {
      return new Verdict.Discard();
    }
    if (action instanceof AccessResult.Quarantine q) {
      return new Verdict.Quarantine(q.reason());
    }
    // SKIP never decides (AccessMap consumes it): the stage goes on undecided.
    return Verdict.OK;
  }

  /** The name DNS confirmed, or none: ClientFacts says {@code unknown} for that. */
  private static Optional<String> verifiedName(ClientFacts client) {
    String name = client.hostname();
    return name == null || name.isBlank() || name.equals("unknown")
        ? Optional.empty() : Optional.of(name);
  }

  private static TempFailException failure(LookupException e) {
    return new TempFailException("4.3.0", "access map lookup failure: " + e.getMessage(), e);
  }
}
