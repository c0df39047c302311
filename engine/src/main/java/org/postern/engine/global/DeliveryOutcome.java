package org.postern.engine.global;

/**
 * What one delivery attempt to one recipient came to: delivered, deferred or bounced.
 *
 * <p>Every delivery agent returns one of these; nothing else signals failure. The status
 * class always matches the kind (2.x.x, 4.x.x, 5.x.x), checked on construction.
 */
public sealed interface DeliveryOutcome {
  DsnStatus status();

  /** The free text for the log's {@code status=... (TEXT)} and the DSN. */
  default String reason() {
    return status().text();
  }

  /** The recipient's copy is durable at its destination. */
  record Delivered(DsnStatus status) implements DeliveryOutcome {
    public Delivered {
      require(status.isSuccess(), status);
    }
  }

  /** Try again later; the message stays queued. */
  record Deferred(DsnStatus status) implements DeliveryOutcome {
    public Deferred {
      require(status.isTemporary(), status);
    }
  }

  /** Give up on this recipient and tell the sender. */
  record Bounced(DsnStatus status) implements DeliveryOutcome {
    public Bounced {
      require(status.isPermanent(), status);
    }
  }

  static DeliveryOutcome delivered(String dsn, String text) {
    return new Delivered(new DsnStatus(dsn, text));
  }

  static DeliveryOutcome deferred(String dsn, String text) {
    return new Deferred(new DsnStatus(dsn, text));
  }

  static DeliveryOutcome bounced(String dsn, String text) {
    return new Bounced(new DsnStatus(dsn, text));
  }

  /** The outcome a failure exception stands for. */
  static DeliveryOutcome of(MailException e) {
    return e instanceof TempFailException ? new Deferred(e.status()) : new Bounced(e.status());
  }

  private static void require(boolean ok, DsnStatus status) {
    if (!ok) {
      throw new IllegalArgumentException("status class does not match outcome: " + status);
    }
  }
}
