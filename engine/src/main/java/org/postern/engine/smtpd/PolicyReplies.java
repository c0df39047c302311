package org.postern.engine.smtpd;

import org.postern.engine.global.MailLog;
import org.postern.maps.access.SmtpReply;

/**
 * The replies the standard policy refuses with, in Postfix's words (smtpd_check.c), so log
 * filters written for Postfix keep matching, except where sendmail's checks are the model
 * (the DNSBL and the sender domain), which use sendmail's words (cf/m4/proto.m4,
 * cf/feature/dnsbl.m4); and the conversion of a table's reply ({@code ERROR:} in the access
 * map, {@code error:} in virtusertable) into a verdict.
 *
 * <p>Texts quote the address or name as the client gave it. Stateless.
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

  /** Postfix reject_unlisted_recipient for a virtual mailbox domain (virtual_mailbox_maps). */
  static Verdict.Reject unknownVirtualMailbox(String rcpt) {
    return new Verdict.Reject(550, "5.1.1",
        "<" + rcpt + ">: Recipient address rejected: User unknown in virtual mailbox table");
  }

  /** Postfix smtpd's answer to an address it cannot parse (RFC 5321 section 4.1.2 syntax). */
  static Verdict.Reject badRecipientSyntax() {
    return new Verdict.Reject(501, "5.1.3", "Bad recipient address syntax");
  }

  /** sendmail FEATURE(dnsbl)'s default: "Rejected: $&{client_addr} listed at ZONE". */
  static Verdict.Reject dnsblListed(String ip, String zone) {
    return new Verdict.Reject(550, "5.7.1", "Rejected: " + ip + " listed at " + zone);
  }

  /** Postfix reject_invalid_helo_hostname (invalid_hostname_reject_code 501). */
  static Verdict.Reject heloInvalid(String helo) {
    return new Verdict.Reject(501, "5.5.2", "<" + MailLog.printable(helo)
        + ">: Helo command rejected: Invalid name");
  }

  /** Postfix reject_unknown_helo_hostname (unknown_hostname_reject_code 450). */
  static Verdict.Reject heloUnknown(String helo) {
    return new Verdict.Reject(450, "4.7.1", "<" + helo + ">: Helo command rejected: "
        + "Host not found");
  }

  /**
   * The sender's domain has no MX nor address (NXDOMAIN or none): refused for good, as
   * sendmail's check_mail does, in Postfix's reject_unknown_sender_domain words (sendmail's
   * "553 ... does not exist" escapes fail2ban's stock postfix filter; these match it).
   */
  static Verdict.Reject senderDomainUnknown(String sender) {
    return new Verdict.Reject(550, "5.1.8", "<" + sender + ">: Sender address rejected: "
        + "Domain not found");
  }

  /** The sender's domain could not be looked up now (Postfix: 450, defer_if_permit). */
  static Verdict.Reject senderDomainUnresolved(String sender) {
    return new Verdict.Reject(450, "4.1.8", "<" + sender + ">: Sender address rejected: "
        + "Domain not found");
  }

  /** RFC 7505 section 4.2: the sender's domain publishes a null MX (Postfix 3's words). */
  static Verdict.Reject senderNullMx(String sender) {
    int at = sender.lastIndexOf('@');
    return new Verdict.Reject(550, "5.7.27", "<" + sender + ">: Sender address rejected: "
        + "Domain " + sender.substring(at + 1) + " does not accept mail (nullMX)");
  }

  /** A reply a table asked for, as it stands; a 4xx reply is temporary. */
  static Verdict.Reject fromTable(SmtpReply reply) {
    return new Verdict.Reject(reply.code(), reply.dsn(), reply.text());
  }
}
