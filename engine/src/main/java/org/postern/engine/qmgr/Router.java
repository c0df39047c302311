package org.postern.engine.qmgr;

import java.util.Optional;
import org.postern.engine.cleanup.VirtualAliasing;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.TempFailException;
import org.postern.engine.global.Transport;
import org.postern.engine.local.LocalRecipient;
import org.postern.engine.local.RecipientResolver;
import org.postern.engine.queue.Recipient;
import org.postern.engine.route.LmtpHop;
import org.postern.engine.route.NextHop;
import org.postern.engine.route.RemoteRoutes;
import org.postern.engine.route.Route;
import org.postern.maps.access.SmtpReply;

/**
 * Chooses where a recipient goes: local domains (mydestination, unqualified names) to local
 * delivery; other domains as {@link RemoteRoutes} says (mailertable, virtual mailbox domains,
 * relayhost, MX): to an SMTP next hop, to an LMTP store, to a local user ({@code local:}), or refused ({@code error:}). A recipient
 * whose virtusertable result is a refusal (cleanup left it as it was) is refused here.
 *
 * <p>Trusts the resolver and the routes; a failed lookup propagates as temporary. Immutable.
 */
public final class Router {
  /** The routing decision for one recipient. */
  sealed interface Routed {}

  /** Deliver {@code recipient} (possibly rewritten by mailertable) with {@code transport}. */
  record Local(Transport transport, Recipient recipient) implements Routed {}

  /** Deliver by SMTP to {@code hop}, together with the message's other recipients there. */
  record Remote(NextHop hop) implements Routed {}

  /** Deliver by LMTP to {@code hop}, together with the message's other recipients there. */
  record Lmtp(LmtpHop hop) implements Routed {}

  /** Do not deliver: the outcome is decided (mailertable {@code error:}). */
  record Refused(DeliveryOutcome outcome) implements Routed {}

  private final RecipientResolver resolver;
  private final Transport local;
  private final RemoteRoutes remote;
  private final VirtualAliasing virtual;

  public Router(RecipientResolver resolver, Transport local, RemoteRoutes remote,
      VirtualAliasing virtual) {
    this.resolver = resolver;
    this.local = local;
    this.remote = remote;
    this.virtual = virtual;
  }

  Routed route(Recipient recipient) throws TempFailException {
    Optional<SmtpReply> refusal = virtual.rewrite(recipient.address()).refusal();
    if (refusal.isPresent()) {
      return refused(refusal.get());
    }
    if (!(resolver.resolve(recipient.address()) instanceof LocalRecipient.Remote r)) {
      return new Local(local, recipient);
    }
    Route route = remote.route(r.domain());
    if (route instanceof Route.Smtp s) {
      return new Remote(s.nextHop());
    }
    if (route instanceof Route.Lmtp l) {
      return new Lmtp(l.hop());
    }
    if (route instanceof Route.Local l) {
      String address = recipient.address();
      String user = l.user().isEmpty() ? address.substring(0, address.lastIndexOf('@')) : l.user();
      return new Local(local, new Recipient(user, recipient.original(), recipient.notifyList()));
    }
    return refused(((Route.Error) route).reply());
  }

  private static Routed refused(SmtpReply reply) {
    DsnStatus status = new DsnStatus(reply.dsn(), reply.code() + " " + reply.dsn() + " "
        + reply.text());
    return new Refused(reply.code() < 500 ? new DeliveryOutcome.Deferred(status)
        : new DeliveryOutcome.Bounced(status));
  }
}
