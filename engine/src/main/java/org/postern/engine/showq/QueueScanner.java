package org.postern.engine.showq;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.posix.NotRegularFileException;
import org.postern.engine.queue.CorruptQueueFileException;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.OpenQueueFile;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * Reads the whole queue for a listing (Postfix's showq): every message in maildrop,
 * incoming, active, deferred and hold, in arrival order; or one message by id.
 *
 * <p>Reads files without moving or changing them, so it is safe beside a running queue.
 * A file that vanishes meanwhile is skipped; a damaged one is logged and skipped (the queue
 * run isolates damaged files). A state directory the caller may not read is an
 * AccessDeniedException (the front end says "not permitted").
 *
 * <p>{@link #scanLost} lists corrupt/ instead (sendmail's lost items, {@code mailq -qL}).
 * A file there that still reads as a whole queue file is shown as it reads; a damaged one
 * shows only what the directory tells: its size (as both sizes), its modification time as
 * the arrival, sender {@value #UNKNOWN_SENDER}, no recipients, uid -1. Nothing is guessed
 * from a damaged file's content. Stateless.
 */
public final class QueueScanner {
  private static final QueueState[] LISTED = {
    QueueState.MAILDROP, QueueState.INCOMING, QueueState.ACTIVE, QueueState.DEFERRED,
    QueueState.HOLD
  };

  /** The sender shown for a lost item whose envelope cannot be read. */
  public static final String UNKNOWN_SENDER = "?";

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

  /** The lost items in corrupt/, in arrival order (see the class comment). */
  public List<QueueEntry> scanLost() throws IOException {
    List<QueueEntry> out = new ArrayList<>();
    for (QueueId id : queue.list(QueueState.CORRUPT)) {
      lost(id).ifPresent(out::add);
    }
    out.sort(Comparator.comparingLong(QueueEntry::arrivalMillis).thenComparing(QueueEntry::id));
    return out;
  }

  /** The message with that id, wherever it is now; empty when there is none. */
  public Optional<QueueEntry> find(QueueId id) throws IOException {
    // Look twice: a queue run may move it between finding and reading it.
    for (int tries = 0; tries < 2; tries++) {
      Optional<QueueState> where = queue.locate(id);
      if (where.isEmpty()) {
        return Optional.empty();
      }
      Optional<QueueEntry> entry = read(where.get(), id);
      if (entry.isPresent()) {
        return entry;
      }
    }
    return Optional.empty();
  }

  private Optional<QueueEntry> read(QueueState state, QueueId id) throws IOException {
    try {
      return entry(state, id);
    } catch (CorruptQueueFileException | NotRegularFileException e) {
      log.warning(state.dirName() + "/" + id + ": skipped in listing: " + e.getMessage());
      return Optional.empty();
    } catch (AccessDeniedException e) {
      if (state != QueueState.MAILDROP) {
        throw e;
      }
      // Another user's submission, not yet picked up (maildrop files keep their owner).
      log.debug(state.dirName() + "/" + id + ": not readable, skipped in listing");
      return Optional.empty();
    }
  }

  private Optional<QueueEntry> lost(QueueId id) throws IOException {
    try {
      return entry(QueueState.CORRUPT, id);
    } catch (CorruptQueueFileException | NotRegularFileException e) {
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(queue.file(QueueState.CORRUPT, id),
            BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException gone) {
        return Optional.empty(); // removed while we looked
      }
      return Optional.of(new QueueEntry(id, QueueState.CORRUPT, attrs.size(), attrs.size(),
          attrs.lastModifiedTime().toMillis(), -1, "", UNKNOWN_SENDER, "", "", 0, List.of(), 0,
          0, false, Optional.empty()));
    }
  }

  /** The entry as the files read; a damaged or irregular file throws. */
  private Optional<QueueEntry> entry(QueueState state, QueueId id) throws IOException {
    QueueFile file;
    DeliveryStatus status;
    ContentSummary content;
    // Without following a link or blocking on a FIFO: a maildrop name is a user's.
    try (OpenQueueFile opened = OpenQueueFile.open(queue.file(state, id))) {
      file = opened.queueFile();
      status = DeliveryStatus.read(queue.statusFile(id));
      content = ContentSummary.of(file);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // delivered or moved while we looked
    }
    Envelope env = file.envelope();
    List<QueueEntry.Pending> pending = new ArrayList<>();
    Optional<String> last = Optional.empty();
    long lastWhen = Long.MIN_VALUE;
    for (int i = 0; i < env.recipients().size(); i++) {
      if (!status.isPending(i)) {
        continue;
      }
      DeliveryStatus.Entry e = status.recipients().get(i);
      Optional<String> reason = Optional.ofNullable(e).map(x -> x.status().text());
      pending.add(new QueueEntry.Pending(env.recipients().get(i).address(), reason));
      if (e != null && e.whenMillis() > lastWhen) {
        lastWhen = e.whenMillis();
        last = reason;
      }
    }
    return Optional.of(
        new QueueEntry(
            id,
            state,
            file.contentLength(),
            file.contentLength() - content.headerBytes(),
            env.arrivalMillis(),
            env.uid(),
            env.login(),
            env.sender(),
            env.attribute(Envelope.ATTR_BODY),
            content.precedence(),
            env.recipients().size(),
            pending,
            status.attempts(),
            status.nextAttemptMillis(),
            status.delayWarned(),
            last));
  }
}
