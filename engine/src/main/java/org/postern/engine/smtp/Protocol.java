package org.postern.engine.smtp;

/**
 * The client's two dialects: SMTP (RFC 5321) and LMTP (RFC 2033), which differs in the
 * greeting command (LHLO, with no HELO fallback) and in the replies after the end of data
 * (one per accepted recipient instead of one for the message). Postfix's smtp(8) and lmtp(8)
 * are the same program in the same way. Immutable.
 */
public enum Protocol {
  SMTP,
  LMTP
}
