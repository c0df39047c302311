package org.postern.engine.smtpd;

import org.postern.engine.global.TempFailException;

/**
 * The policy of the transcript tests: mail to the local domains (and unqualified addresses)
 * is accepted, anything else is relaying and refused with Postfix's 554 5.7.1. A few
 * reserved names exercise the other outcomes: recipients {@code tempfail@...} (451),
 * {@code discard@...} (DISCARD) and {@code hold@...} (QUARANTINE), HELO {@code spammer}.
 */
final class TranscriptPolicy implements SmtpPolicy {
  private final java.util.List<String> localDomains;

  TranscriptPolicy(java.util.List<String> localDomains) {
    this.localDomains = localDomains;
  }

  @Override
  public Verdict connect(ClientFacts client) {
    return Verdict.OK;
  }

  @Override
  public Verdict helo(ClientFacts client, String helo) {
    return helo.equals("spammer")
        ? new Verdict.Reject(554, "5.7.1", "<spammer>: Helo command rejected: Access denied")
        : Verdict.OK;
  }

  @Override
  public Verdict mailFrom(ClientFacts client, String sender) {
    return Verdict.OK;
  }

  @Override
  public RcptDecision rcptTo(ClientFacts client, String sender, String recipient)
      throws TempFailException {
    int at = recipient.lastIndexOf('@');
    String local = at < 0 ? recipient : recipient.substring(0, at);
    String domain = at < 0 ? "" : recipient.substring(at + 1).toLowerCase();
    if (at >= 0 && !localDomains.contains(domain)) {
      return new RcptDecision(
          new Verdict.Reject(554, "5.7.1", "<" + recipient + ">: Relay access denied"), recipient);
    }
    switch (local) {
      case "tempfail":
        throw new TempFailException("4.3.0", "test table unavailable");
      case "discard":
        return new RcptDecision(new Verdict.Discard(), recipient);
      case "hold":
        return new RcptDecision(new Verdict.Quarantine("test hold"), recipient);
      default:
        return new RcptDecision(Verdict.OK, recipient);
    }
  }
}
