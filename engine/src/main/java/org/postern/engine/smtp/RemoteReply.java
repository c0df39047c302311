package org.postern.engine.smtp;

/**
 * A remote server's reply that decided a recipient's fate, with the server's name, as a DSN
 * (RFC 3464 §2.3.5, §2.3.6) reports it: {@code Remote-MTA: dns; HOST} and
 * {@code Diagnostic-Code: smtp; 550 5.1.1 ...}. Immutable.
 */
public record RemoteReply(String host, SmtpReply reply) {
  /** The value of the DSN's Remote-MTA field. */
  public String remoteMta() {
    return "dns; " + host;
  }

  /** The value of the DSN's Diagnostic-Code field. */
  public String diagnosticCode() {
    return "smtp; " + reply.text();
  }
}
