package org.postern.engine.showq;

import java.util.List;
import java.util.Optional;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * One message as a queue listing shows it: id, state, content size, arrival, sender, the
 * recipients still to be delivered and the last deferral reason, if any.
 *
 * <p>Built by {@link QueueScanner} from validated files only. Immutable.
 */
public record QueueEntry(
    QueueId id,
    QueueState state,
    long size,
    long arrivalMillis,
    String sender,
    List<String> pendingRecipients,
    Optional<String> deferReason) {
  public QueueEntry {
    pendingRecipients = List.copyOf(pendingRecipients);
  }
}
