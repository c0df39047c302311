package org.postern.engine.smtpd;

/**
 * Every fixed SMTP reply the server sends, with its RFC 3463 enhanced status code, worded as
 * Postfix's smtpd words them (so log tools and clients' error parsing keep working). Replies
 * that carry a value are format strings.
 *
 * <p>Constants only.
 */
final class Replies {
  private Replies() {}

  static final String OK = "250 2.0.0 Ok";
  static final String MAIL_OK = "250 2.1.0 Ok";
  static final String RCPT_OK = "250 2.1.5 Ok";
  static final String QUEUED = "250 2.0.0 Ok: queued as %s";
  static final String CHUNK_OK = "250 2.0.0 Ok: %d bytes";
  static final String START_DATA = "354 End data with <CR><LF>.<CR><LF>";
  static final String BYE = "221 2.0.0 Bye";
  static final String VRFY = "252 2.0.0 %s";
  static final String ETRN_UNAVAILABLE = "458 Unable to queue messages";

  static final String TIMEOUT = "421 4.4.2 %s Error: timeout exceeded";
  static final String TOO_MANY_ERRORS = "421 4.7.0 %s Error: too many errors";
  static final String TOO_MANY_CONNECTIONS = "421 4.7.0 %s Error: too many connections from %s";
  static final String BUSY = "421 4.3.2 %s Service currently unavailable";
  static final String WRITE_ERROR = "451 4.3.0 Error: queue file write error";
  static final String TOO_MANY_RECIPIENTS = "452 4.5.3 Error: too many recipients";

  static final String NOT_RECOGNIZED = "500 5.5.2 Error: command not recognized";
  static final String LINE_TOO_LONG = "500 5.5.0 Error: command line too long";
  static final String SYNTAX_HELO = "501 5.5.4 Syntax: HELO hostname";
  static final String SYNTAX_EHLO = "501 5.5.4 Syntax: EHLO hostname";
  static final String SYNTAX_MAIL = "501 5.5.4 Syntax: MAIL FROM:<address>";
  static final String SYNTAX_RCPT = "501 5.5.4 Syntax: RCPT TO:<address>";
  static final String SYNTAX_DATA = "501 5.5.4 Syntax: DATA";
  static final String SYNTAX_BDAT = "501 5.5.4 Syntax: BDAT count [LAST]";
  static final String SYNTAX_VRFY = "501 5.5.4 Syntax: VRFY address";
  static final String SYNTAX_ETRN = "501 5.5.4 Syntax: ETRN domain";
  static final String SYNTAX_NO_ARGS = "501 5.5.4 Syntax: %s";
  static final String BAD_SENDER = "501 5.1.7 Bad sender address syntax";
  static final String BAD_RECIPIENT = "501 5.1.3 Bad recipient address syntax";
  static final String BAD_PARAMETER = "501 5.5.4 Bad %s parameter syntax";
  static final String UNSUPPORTED_OPTION = "555 5.5.4 Unsupported option: %s";
  static final String NEED_SMTPUTF8 = "553 5.6.7 Must declare SMTPUTF8 to send unicode address";

  static final String SEND_HELO_FIRST = "503 5.5.1 Error: send HELO/EHLO first";
  static final String NESTED_MAIL = "503 5.5.1 Error: nested MAIL command";
  static final String NEED_MAIL = "503 5.5.1 Error: need MAIL command";
  static final String NEED_RCPT = "503 5.5.1 Error: need RCPT command";
  static final String DATA_AFTER_BDAT = "503 5.5.1 Error: DATA after BDAT";

  static final String SIZE_EXCEEDS = "552 5.3.4 Message size exceeds fixed limit";
  static final String TOO_BIG = "552 5.3.4 Error: message file too big";
  static final String HEADER_TOO_BIG = "552 5.3.4 Error: message header size exceeds limit";
  static final String TOO_MANY_HOPS = "554 5.4.0 Error: too many hops";
  static final String NUL = "550 5.6.0 Error: message contains NUL characters";
  static final String BARE_CR = "550 5.6.0 Error: bare <CR> received";
  static final String BARE_LF = "550 5.5.2 Error: bare <LF> received";
  static final String SYNCHRONIZATION = "554 5.5.0 Error: SMTP protocol synchronization";
  // RFC 3207 STARTTLS, in Postfix's words.
  static final String READY_TLS = "220 2.0.0 Ready to start TLS";
  static final String TLS_UNAVAILABLE = "454 4.7.0 TLS not available due to local problem";
  static final String SYNTAX_STARTTLS = "501 5.5.4 Syntax: STARTTLS";
  static final String NOT_IMPLEMENTED = "502 5.5.1 Error: command not implemented";
  static final String TLS_ACTIVE = "503 5.5.1 Error: TLS already active";
  static final String MAIL_IN_PROGRESS = "503 5.5.1 Error: MAIL transaction in progress";
  static final String MUST_STARTTLS = "530 5.7.0 Must issue a STARTTLS command first";

  static final String NON_SMTP = "221 2.7.0 Error: I can break rules, too. Goodbye.";
}
