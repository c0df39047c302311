package org.postern.maps.access;

/**
 * What an access map right-hand side asks for ([CF] access_db; cf/m4/proto.m4 check_relay,
 * check_mail, check_rcpt). The SMTP server turns these into replies; this type knows no SMTP
 * session.
 *
 * <p>Built by {@link RhsParser} from table values, which it does not trust. Immutable.
 */
public sealed interface AccessResult {
  /** One line for diagnostics: {@code OK}, {@code REJECT 550 5.7.1 Access denied}, ... */
  String describe();

  /** {@code OK}: accept despite other rules; does not allow relaying. */
  record Ok() implements AccessResult {
    @Override
    public String describe() {
      return "OK";
    }
  }

  /** {@code RELAY}: accept and allow relaying to or from this key; implies OK. */
  record Relay() implements AccessResult {
    @Override
    public String describe() {
      return "RELAY";
    }
  }

  /** {@code REJECT}: refuse with sendmail's fixed reply for the kind of lookup. */
  record Reject(SmtpReply reply) implements AccessResult {
    @Override
    public String describe() {
      return "REJECT " + reply;
    }
  }

  /** {@code DISCARD}: accept, then drop the message (sendmail's discard mailer). */
  record Discard() implements AccessResult {
    @Override
    public String describe() {
      return "DISCARD";
    }
  }

  /**
   * {@code SKIP}: stop searching this key family, as if nothing had been found there.
   * {@link AccessMap} consumes it; it is never the action of a returned match.
   */
  record Skip() implements AccessResult {
    @Override
    public String describe() {
      return "SKIP";
    }
  }

  /** {@code ERROR:...}, bare {@code ### text}, or an unknown value used as an error text. */
  record Error(SmtpReply reply) implements AccessResult {
    @Override
    public String describe() {
      return "ERROR " + reply;
    }
  }

  /** {@code QUARANTINE:reason}: accept and hold the message with that reason. */
  record Quarantine(String reason) implements AccessResult {
    @Override
    public String describe() {
      return "QUARANTINE " + reason;
    }
  }
}
