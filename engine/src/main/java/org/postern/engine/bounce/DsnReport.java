package org.postern.engine.bounce;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;

/**
 * One notification to send back to a message's envelope sender: which message (queue id and
 * envelope), what kind of news (failure, delay, success) and each recipient's part of it.
 *
 * <p>Checks only its own consistency: at least one recipient, and a delay notice (only a delay
 * notice) knows until when the message will be retried (RFC 3464 §2.3.9). Whether the sender may be
 * notified at all (never the null sender) is the composer's check. Immutable.
 */
public record DsnReport(
    QueueId queueId,
    Envelope envelope,
    Kind kind,
    List<RecipientReport> recipients,
    OptionalLong willRetryUntilMillis) {

  /** The kind of news, which sets the subject, the text and the RFC 3464 Action. */
  public enum Kind {
    FAILURE("failed", "Undelivered Mail Returned to Sender"),
    DELAY("delayed", "Delayed Mail (still being retried)"),
    SUCCESS("delivered", "Successful Mail Delivery Report");

    private final String action;
    private final String subject;

    Kind(String action, String subject) {
      this.action = action;
      this.subject = subject;
    }

    /** The RFC 3464 §2.3.3 action-value for every recipient of this kind of notice. */
    public String action() {
      return action;
    }

    /** The Subject: of the notice, Postfix's wording. */
    public String subject() {
      return subject;
    }
  }

  public DsnReport {
    Objects.requireNonNull(queueId, "queueId");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(kind, "kind");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException(queueId + ": notification without recipients");
    }
    if ((kind == Kind.DELAY) != willRetryUntilMillis.isPresent()) {
      throw new IllegalArgumentException(queueId + ": only a delay notice has a retry limit");
    }
  }

  /** A failure or success notice (no retry limit to report). */
  public static DsnReport of(
      QueueId queueId, Envelope envelope, Kind kind, List<RecipientReport> recipients) {
    return new DsnReport(queueId, envelope, kind, recipients, OptionalLong.empty());
  }

  /** A delay notice: the message stays queued until {@code willRetryUntilMillis}. */
  public static DsnReport delay(
      QueueId queueId,
      Envelope envelope,
      List<RecipientReport> recipients,
      long willRetryUntilMillis) {
    return new DsnReport(
        queueId, envelope, Kind.DELAY, recipients, OptionalLong.of(willRetryUntilMillis));
  }
}
