package org.postern.engine.route;

import org.postern.maps.access.SmtpReply;

/**
 * Where a non-local recipient goes, as routing decided it: to a next hop by SMTP, to a store
 * by LMTP, to a local user (mailertable {@code local:}), or nowhere ({@code error:}, bounced).
 *
 * <p>Immutable.
 */
public sealed interface Route {
  /** The SMTP client delivers to this next hop. */
  record Smtp(NextHop nextHop) implements Route {}

  /** The LMTP client delivers to this store (virtual_mailbox_domains, virtual_transport). */
  record Lmtp(LmtpHop hop) implements Route {}

  /** Local delivery; {@code user} empty means the recipient's own local part. */
  record Local(String user) implements Route {}

  /** Bounce the recipient with this reply. */
  record Error(SmtpReply reply) implements Route {}
}
