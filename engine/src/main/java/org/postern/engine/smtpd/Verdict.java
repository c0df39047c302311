package org.postern.engine.smtpd;

/**
 * A policy decision for one SMTP stage: go on, refuse with a reply (4xx: try later, 5xx:
 * never), accept and drop ({@code DISCARD}), or accept and hold ({@code QUARANTINE}).
 *
 * <p>Reject replies carry the reply code, RFC 3463 status and text the client sees (and the
 * log's {@code NOQUEUE: reject:} line repeats). Immutable.
 */
public sealed interface Verdict {
  /** Continue; later stages still decide. {@code final}: skip later checks (OK/RELAY). */
  record Accept(boolean decisive) implements Verdict {}

  /** Refuse this command. */
  record Reject(int code, String dsn, String text) implements Verdict {
    public Reject {
      if (code < 400 || code > 599 || dsn.charAt(0) != (char) ('0' + code / 100)) {
        throw new IllegalArgumentException("bad reject reply: " + code + " " + dsn);
      }
    }

    /** The reply line without CRLF, e.g. {@code 554 5.7.1 <x@y>: Relay access denied}. */
    public String reply() {
      return code + " " + dsn + " " + text;
    }
  }

  /** Accept the message but deliver it nowhere (access map DISCARD). */
  record Discard() implements Verdict {}

  /** Accept the message into hold/ (access map QUARANTINE:reason). */
  record Quarantine(String reason) implements Verdict {}

  Verdict OK = new Accept(false);
}
