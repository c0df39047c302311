package org.postern.engine.showq;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.CorruptQueueFileException;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * Reads the whole queue for a listing (Postfix's showq): every message in maildrop,
 * incoming, active, deferred and hold, in arrival order.
 *
 * <p>Reads files without moving or changing them, so it is safe beside a running queue.
 * A file that vanishes meanwhile is skipped; a damaged or unreadable one is logged and
 * skipped (the queue run isolates damaged files). Stateless.
 */
public final class QueueScanner {
  private static final QueueState[] LISTED = {
    QueueState.MAILDROP, QueueState.INCOMING, QueueState.ACTIVE, QueueState.DEFERRED,
    QueueState.HOLD
  };

  private final QueueDirectory queue;
  private final MailLog log;

  public QueueScanner(QueueDirectory queue, MailLog log) {
    this.queue = queue;
    this.log = log;
  }

  public List<QueueEntry> scan() throws IOException {
    List<QueueEntry> out = new ArrayList<>();
    for (QueueState state : LISTED) {
      for (QueueId id : queue.list(state)) {
        read(state, id).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparingLong(QueueEntry::arrivalMillis).thenComparing(QueueEntry::id));
    return out;
  }

  private Optional<QueueEntry> read(QueueState state, QueueId id) throws IOException {
    QueueFile file;
    DeliveryStatus status;
    try {
      file = QueueFileReader.read(queue.file(state, id));
      status = DeliveryStatus.read(queue.statusFile(id));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // delivered or moved while we looked
    } catch (CorruptQueueFileException | AccessDeniedException e) {
      log.warning(state.dirName() + "/" + id + ": skipped in listing: " + e.getMessage());
      return Optional.empty();
    }
    Envelope env = file.envelope();
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < env.recipients().size(); i++) {
      if (status.isPending(i)) {
        pending.add(env.recipients().get(i).address());
      }
    }
    Optional<String> reason =
        status.recipients().entrySet().stream()
            .map(Map.Entry::getValue)
            .filter(e -> e.result() == DeliveryStatus.Result.DEFERRED)
            .map(e -> e.status().text())
            .findFirst();
    return Optional.of(
        new QueueEntry(
            id,
            state,
            file.contentLength(),
            env.arrivalMillis(),
            env.sender(),
            pending,
            reason));
  }
}
