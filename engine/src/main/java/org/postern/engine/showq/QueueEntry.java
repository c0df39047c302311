package org.postern.engine.showq;

import java.util.List;
import java.util.Optional;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * One message as a queue listing shows it: where it is, its sizes, arrival, owner, sender,
 * the recipients still to be delivered with their own deferral reasons, and its retry
 * progress. What sendmail's and Postfix's listings print is all derived from this.
 *
 * <p>{@code size} is the whole content (Postfix's message_size); {@code bodySize} the part
 * after the header (sendmail's df file). {@code precedence} is the Precedence: header value,
 * lower-cased, "" when absent. {@code lastReason} is the most recent deferral reason of a
 * pending recipient. Built by {@link QueueScanner} from validated files, except a lost item
 * (state CORRUPT, {@code mailq -qL}), which may carry only what its directory entry tells.
 * Immutable.
 */
public record QueueEntry(
    QueueId id,
    QueueState state,
    long size,
    long bodySize,
    long arrivalMillis,
    int uid,
    String login,
    String sender,
    String bodyType,
    String precedence,
    int recipientCount,
    List<Pending> pending,
    int attempts,
    long nextAttemptMillis,
    boolean delayWarned,
    Optional<String> lastReason) {

  /** A recipient still to be delivered, and why its last attempt was deferred, if it was. */
  public record Pending(String address, Optional<String> deferReason) {}

  public QueueEntry {
    pending = List.copyOf(pending);
  }

  /** The addresses of {@link #pending}, in envelope order. */
  public List<String> pendingAddresses() {
    return pending.stream().map(Pending::address).toList();
  }

  /** Whether a queue run would retry it only later (backoff not yet run out). */
  public boolean waitsForRetry(long nowMillis) {
    return state == QueueState.DEFERRED && nextAttemptMillis > nowMillis;
  }
}
