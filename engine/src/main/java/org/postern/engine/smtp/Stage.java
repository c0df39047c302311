package org.postern.engine.smtp;

/**
 * The steps of an SMTP client conversation, each with the words Postfix's smtp(8) uses for it
 * in "lost connection with HOST while ..." and "(in reply to ...)", so our deferral and
 * bounce texts read exactly like Postfix's to log parsers and people. Immutable.
 */
enum Stage {
  GREETING("receiving the initial server greeting", "initial greeting"),
  EHLO("performing the EHLO handshake", "EHLO command"),
  HELO("performing the HELO handshake", "HELO command"),
  LHLO("performing the LHLO handshake", "LHLO command"),
  STARTTLS("receiving the STARTTLS response", "STARTTLS command"),
  AUTH("performing the SASL authentication", "AUTH command"),
  MAIL("sending MAIL FROM", "MAIL FROM command"),
  RCPT("sending RCPT TO", "RCPT TO command"),
  DATA("sending DATA command", "DATA command"),
  BODY("sending message body", "end of DATA command"),
  DOT("sending end of data -- message may be sent more than once", "end of DATA command"),
  RSET("sending RSET", "RSET command"),
  QUIT("sending QUIT", "QUIT command");

  /** Completes "lost connection with HOST while ...". */
  final String activity;
  /** Completes "(in reply to ...)". */
  final String request;

  Stage(String activity, String request) {
    this.activity = activity;
    this.request = request;
  }
}
