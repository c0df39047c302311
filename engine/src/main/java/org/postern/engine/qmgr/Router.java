package org.postern.engine.qmgr;

import org.postern.engine.global.Transport;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.LocalRecipient;
import org.postern.engine.local.RecipientResolver;
import org.postern.engine.queue.Recipient;

/**
 * Chooses the transport for a recipient: local domains (mydestination, unqualified names)
 * go to local delivery, everything else to the remote transport.
 *
 * <p>Trusts the resolver; a failed user lookup propagates as temporary. Immutable.
 */
public final class Router {
  private final RecipientResolver resolver;
  private final Transport local;
  private final Transport remote;

  public Router(RecipientResolver resolver, Transport local, Transport remote) {
    this.resolver = resolver;
    this.local = local;
    this.remote = remote;
  }

  public Transport route(Recipient recipient) throws TempFailException {
    return resolver.resolve(recipient.address()) instanceof LocalRecipient.Remote ? remote : local;
  }
}
