package org.postern.engine.smtpd;

import org.postern.maps.access.SmtpReply;

/**
 * The replies the standard policy refuses with, in Postfix's words (smtpd_check.c), so log
 * filters written for Postfix keep matching; and the conversion of a table's reply
 * ({@code ERROR:} in the access map, {@code error:} in virtusertable) into a verdict.
 *
 * <p>Recipient texts quote the address as the client gave it. Stateless.
 */
final class PolicyReplies {
  private PolicyReplies() {}

  /** Postfix reject_unauth_destination. */
  static Verdict.Reject relayDenied(String rcpt) {
    return new Verdict.Reject(554, "5.7.1", "<" + rcpt + ">: Relay access denied");
  }

  /** Postfix reject_unlisted_recipient for a local domain. */
  static Verdict.Reject unknownLocal(String rcpt) {
    return new Verdict.Reject(550, "5.1.1",
        "<" + rcpt + ">: Recipient address rejected: User unknown in local recipient table");
  }

  /** Postfix reject_unlisted_recipient for a virtual (virtusertable) domain. */
  static Verdict.Reject unknownVirtual(String rcpt) {
    return new Verdict.Reject(550, "5.1.1",
        "<" + rcpt + ">: Recipient address rejected: User unknown in virtual alias table");
  }

  /** Postfix smtpd's answer to an address it cannot parse (RFC 5321 section 4.1.2 syntax). */
  static Verdict.Reject badRecipientSyntax() {
    return new Verdict.Reject(501, "5.1.3", "Bad recipient address syntax");
  }

  /** A reply a table asked for, as it stands; a 4xx reply is temporary. */
  static Verdict.Reject fromTable(SmtpReply reply) {
    return new Verdict.Reject(reply.code(), reply.dsn(), reply.text());
  }
}
