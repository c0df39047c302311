package org.postern.engine.smtpd;

import java.util.Optional;

/**
 * The mutable state of one SMTP session: who the client is (HELO included), whether it spoke
 * EHLO, the last command (for "lost connection after X"), the policy's verdicts on the
 * connection, HELO and sender (applied at RCPT, as Postfix's smtpd_delay_reject = yes does),
 * and the open mail transaction.
 *
 * <p>One per session; not thread-safe.
 */
final class SessionState {
  ClientFacts client;
  boolean esmtp;
  String lastCommand = "CONNECT";
  Verdict connectVerdict = Verdict.OK;
  Verdict heloVerdict = Verdict.OK;
  Verdict mailVerdict = Verdict.OK;
  Optional<Transaction> transaction = Optional.empty();

  SessionState(ClientFacts client) {
    this.client = client;
  }

  /** Postfix's proto= value. */
  String protocol() {
    return ReceivedHeader.protocol(esmtp, client, false);
  }

  String heloName() {
    return client.helo().orElse("");
  }
}
