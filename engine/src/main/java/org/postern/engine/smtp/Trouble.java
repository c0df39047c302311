package org.postern.engine.smtp;

import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;

/**
 * Turns what went wrong (or right) in an SMTP conversation into statuses with Postfix's
 * smtp(8) wording (smtp_trouble.c, smtp_proto.c), in one place. A server reply's class decides
 * temporary versus permanent; a broken conversation is always temporary (4.4.2), an
 * unreachable server too (4.4.1). Stateless.
 */
final class Trouble {
  private Trouble() {}

  /** A failure reply: "host HOST[IP] said: REPLY (in reply to COMMAND)". */
  static DsnStatus said(Endpoint server, SmtpReply reply, Stage stage) {
    String code = failureCode(reply);
    if (stage == Stage.RCPT && reply.code() == 552) {
      code = "4" + code.substring(1); // RFC 5321 §4.5.3.1.10: too many recipients, try later
    }
    return new DsnStatus(
        code,
        "host " + server.namaddr() + " said: " + reply.text() + " (in reply to "
            + stage.request + ")");
  }

  /** A refused greeting or HELO: "host HOST[IP] refused to talk to me: REPLY". */
  static DsnStatus refused(Endpoint server, SmtpReply reply) {
    return new DsnStatus(
        failureCode(reply), "host " + server.namaddr() + " refused to talk to me: "
            + reply.text());
  }

  /** The server took the message: its reply is the log's and the DSN's text. */
  static DeliveryOutcome delivered(SmtpReply reply) {
    return new DeliveryOutcome.Delivered(new DsnStatus(reply.dsnCode(), reply.text()));
  }

  static DsnStatus connectFailed(Endpoint server, String why) {
    return new DsnStatus("4.4.1", "connect to " + server.namaddrport() + ": " + why);
  }

  static DsnStatus conversation(Endpoint server, ConversationException e) {
    String where = e.stage().activity;
    return switch (e.kind()) {
      case LOST -> new DsnStatus("4.4.2", "lost connection with " + server.namaddr()
          + " while " + where);
      case TIMED_OUT -> new DsnStatus("4.4.2", "conversation with " + server.namaddr()
          + " timed out while " + where);
      case MALFORMED_REPLY -> new DsnStatus("4.5.0", "malformed reply from " + server.namaddr()
          + " while " + where);
    };
  }

  /** TLS required (encrypt, verify) but the server's EHLO does not offer STARTTLS. */
  static DsnStatus tlsNotOffered(Endpoint server) {
    return new DsnStatus("4.7.4", "TLS is required, but was not offered by host "
        + server.namaddr());
  }

  /** TLS required but the server answered STARTTLS with an error. */
  static DsnStatus tlsRefused(Endpoint server, SmtpReply reply) {
    return new DsnStatus(failureCode(reply), "TLS is required, but host " + server.namaddr()
        + " refused to start TLS: " + reply.text());
  }

  /** TLS required and the handshake failed, or the certificate failed verification. */
  static DsnStatus tlsFailed(boolean certificateRejected) {
    return new DsnStatus("4.7.5", certificateRejected
        ? "Server certificate not verified" : "Cannot start TLS: handshake failure");
  }

  /**
   * The server refused our login (Postfix smtp_sasl_glue.c): temporary even for 5xx, as
   * Postfix's smtp_sasl_auth_soft_bounce default, since the fix is the admin's password.
   */
  static DsnStatus saslFailed(Endpoint server, SmtpReply reply) {
    String code = failureCode(reply);
    return new DsnStatus("4" + code.substring(1), "SASL authentication failed; server "
        + server.namaddr() + " said: " + reply.text());
  }

  /** AUTH offered, but no mechanism passed smtp_sasl_mechanism_filter (or none we have). */
  static DsnStatus saslNoCompatible(Endpoint server) {
    return new DsnStatus("4.7.0", "SASL authentication failed: server " + server.namaddr()
        + " offered no compatible authentication mechanisms for this type of connection"
        + " security");
  }

  /** The login cannot start or go on here: no mechanism the options allow, a bad challenge. */
  static DsnStatus saslCannot(Endpoint server, String why) {
    return new DsnStatus("4.7.0", "SASL authentication failed; cannot authenticate to server "
        + server.namaddr() + ": " + why);
  }

  /** The password table could not be read. */
  static DsnStatus saslLookupFailed(String why) {
    return new DsnStatus("4.3.0", "SASL password lookup failed: " + why);
  }

  /** smtp_tls_wrappermode at a level that does not insist on TLS (Postfix skips such hosts). */
  static DsnStatus wrapperNeedsEncrypt() {
    return new DsnStatus("4.7.5", "smtp_tls_wrappermode requires smtp_tls_security_level ="
        + " encrypt (or stronger)");
  }

  /** The server called itself by our name: the mail would come straight back. */
  static DsnStatus loop(String nexthop) {
    return new DsnStatus("5.4.6", "mail for " + nexthop + " loops back to myself");
  }

  /** RFC 6531 §3.4: a non-ASCII envelope address needs an SMTPUTF8 server. */
  static DsnStatus smtputf8NotOffered(Endpoint server) {
    return new DsnStatus("5.6.7", "SMTPUTF8 is required, but was not offered by host "
        + server.namaddr());
  }

  /** RFC 1870 §6: the message is larger than the server's announced limit. */
  static DsnStatus tooBig(Endpoint server, long size, long limit) {
    return new DsnStatus("5.3.4", "message size " + size + " exceeds size limit " + limit
        + " of server " + server.namaddr());
  }

  /** smtp_8bitmime_strict: 8-bit content for a server without 8BITMIME. */
  static DsnStatus eightBitRefused(Endpoint server) {
    return new DsnStatus("5.6.3", "message has 8-bit content, but host " + server.namaddr()
        + " does not support 8BITMIME");
  }

  /** Our own queue file could not be read while sending it. */
  static DsnStatus unreadableContent() {
    return new DsnStatus("4.3.0", "cannot read message content");
  }

  /** The outcome a failure status stands for. */
  static DeliveryOutcome outcome(DsnStatus status) {
    return status.isPermanent()
        ? new DeliveryOutcome.Bounced(status)
        : new DeliveryOutcome.Deferred(status);
  }

  /**
   * The enhanced code of a failure reply: 5xx permanent, 4xx temporary, and anything else
   * where a failure was seen (a 2xx to DATA, say) a temporary protocol error (4.5.0).
   */
  private static String failureCode(SmtpReply reply) {
    if (reply.isPermanent() || reply.isTransient()) {
      return reply.dsnCode();
    }
    return "4.5.0";
  }
}
