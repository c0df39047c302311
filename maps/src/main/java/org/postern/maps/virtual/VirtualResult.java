package org.postern.maps.virtual;

import org.postern.maps.access.SmtpReply;

/**
 * What a virtusertable lookup gives ([CF] virtusertable): a new address, an error for the
 * error mailer, or nothing.
 *
 * <p>An {@link Address} is only rewritten, not resolved: sendmail feeds it through ruleset 0
 * again (so it may be another virtual address, an alias or a remote address), and so must
 * the caller. Immutable.
 */
public sealed interface VirtualResult {
  /** One line for diagnostics. */
  String describe();

  /** A local user or a remote address, after {@code %1}/{@code %2}/{@code %3} substitution. */
  record Address(String address) implements VirtualResult {
    @Override
    public String describe() {
      return address;
    }
  }

  /** {@code error:...}: refuse the recipient with this reply (bounce if already accepted). */
  record Error(SmtpReply reply) implements VirtualResult {
    @Override
    public String describe() {
      return "error " + reply;
    }
  }

  /** No key matched: the address is left as it was. */
  record NotFound() implements VirtualResult {
    @Override
    public String describe() {
      return "not found";
    }
  }
}
