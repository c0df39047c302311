package org.postern.engine.smtpd;

import org.postern.engine.global.TempFailException;

/**
 * The SMTP server's access and relay decisions, stage by stage (connect, HELO, MAIL FROM,
 * RCPT TO), kept apart from the protocol so each can be tested alone: the protocol parses
 * and enforces syntax and limits, the policy says who may send what to whom.
 *
 * <p>Addresses given to it are already parsed (no angle brackets, no parameters; empty for
 * the null sender). A lookup that cannot be done now is a TempFailException, which the
 * session answers with 451 4.3.0; never an accept.
 */
public interface SmtpPolicy {
  Verdict connect(ClientFacts client) throws TempFailException;

  Verdict helo(ClientFacts client, String helo) throws TempFailException;

  Verdict mailFrom(ClientFacts client, String sender) throws TempFailException;

  RcptDecision rcptTo(ClientFacts client, String sender, String recipient)
      throws TempFailException;
}
