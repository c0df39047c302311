package org.postern.engine.local;

import org.postern.maps.passwd.PasswdEntry;

/**
 * What an envelope recipient means to this host: not ours, one of our users (with any
 * {@code +extension}), or a local name nobody owns.
 *
 * <p>Produced by {@link RecipientResolver}; immutable.
 */
public sealed interface LocalRecipient {
  /** A domain not in mydestination: for another transport. */
  record Remote(String address, String domain) implements LocalRecipient {}

  /** A local user's mailbox; {@code address} is the qualified final recipient. */
  record User(PasswdEntry user, String extension, String address) implements LocalRecipient {}

  /** A local name with no user behind it (5.1.1 "User unknown"). */
  record Unknown(String localPart) implements LocalRecipient {}
}
