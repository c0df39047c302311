package org.postern.engine.showq;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
import org.postern.engine.queue.QueueFileHead;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * Reads the whole queue for a listing (Postfix's showq): every message in maildrop,
 * incoming, active, deferred and hold, in arrival order; or one message by id.
 *
 * <p>Reads files without moving or changing them, so it is safe beside a running queue.
 * Of each message it reads the envelope, the header section and the status sidecar, never
 * the body, and computes no CRC ({@link QueueFileHead}): a listing of a big queue costs what
 * its envelopes cost. A damaged body is found by the queue run, which validates the whole
 * file before delivering it.
 * A file that vanishes meanwhile is skipped; a damaged one is logged and skipped (the queue
 * run isolates damaged files). A state directory the caller may not read is an
 * AccessDeniedException (the front end says "not permitted").
 *
 * <p>{@link #scanLost} lists corrupt/ instead (sendmail's lost items, {@code mailq -qL}).
 * A file there that still reads as a whole queue file is shown as it reads; a damaged one
 * shows only what the directory tells: its size (as both sizes), its modification time as
 * the arrival, sender {@value #UNKNOWN_SENDER}, no recipients, uid -1. Nothing is guessed
 * from a damaged file's content. A command's scanner is stateless; the daemon's {@link
 * #remembering} one keeps a {@link ListingIndex} and is thread-safe.
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
  private final Optional<ListingIndex> index;

  /** A scanner that reads every listing from the files (a command's). */
  public QueueScanner(QueueDirectory queue, MailLog log) {
    this(queue, log, Optional.empty());
  }

  private QueueScanner(QueueDirectory queue, MailLog log, Optional<ListingIndex> index) {
    this.queue = queue;
    this.log = log;
    this.index = index;
  }

  /**
   * A scanner that remembers envelopes and statuses between listings ({@link ListingIndex}):
   * the daemon's. Its listings run one at a time.
   */
  public static QueueScanner remembering(QueueDirectory queue, MailLog log) {
    return new QueueScanner(queue, log, Optional.of(new ListingIndex()));
  }

  /** Where damaged files are reported. */
  public MailLog log() {
    return log;
  }

  /** The messages in the queue now, in arrival order. */
  public List<QueueEntry> scan() throws IOException {
    List<QueueEntry> out = new ArrayList<>();
    if (index.isEmpty()) {
      scanInto(out, Optional.empty());
    } else {
      ListingIndex remembered = index.get();
      synchronized (remembered) {
        remembered.begin(queue.statusDir());
        scanInto(out, index);
        remembered.end(queue.statusDir());
      }
    }
    out.sort(Comparator.comparingLong(QueueEntry::arrivalMillis).thenComparing(QueueEntry::id));
    return out;
  }

  private void scanInto(List<QueueEntry> out, Optional<ListingIndex> remembered)
      throws IOException {
    for (QueueState state : LISTED) {
      for (QueueId id : queue.list(state)) {
        read(state, id, remembered).ifPresent(out::add);
      }
    }
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
      Optional<QueueEntry> entry = read(where.get(), id, Optional.empty());
      if (entry.isPresent()) {
        return entry;
      }
    }
    return Optional.empty();
  }

  private Optional<QueueEntry> read(QueueState state, QueueId id,
      Optional<ListingIndex> remembered) throws IOException {
    try {
      return entry(state, id, remembered);
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
      return entry(QueueState.CORRUPT, id, Optional.empty());
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

  /**
   * The entry as the files (or what {@code remembered} knows of them) read, the queue file's
   * envelope only (QueueFileHead; corrupt/'s lost items are validated whole, see the class
   * comment); a damaged or irregular file throws.
   */
  private Optional<QueueEntry> entry(QueueState state, QueueId id,
      Optional<ListingIndex> remembered) throws IOException {
    Path path = queue.file(state, id);
    if (state == QueueState.CORRUPT) {
      try (OpenQueueFile opened = OpenQueueFile.open(path)) {
        QueueFile file = opened.queueFile();
        return Optional.of(entry(state, id, new ListingIndex.Head(file.envelope(),
            file.contentLength(), ContentSummary.of(file.openContent())), status(id, remembered)));
      } catch (NoSuchFileException e) {
        return Optional.empty(); // removed while we looked
      }
    }
    Optional<ListingIndex> index = remembered.filter(r -> state != QueueState.MAILDROP);
    Optional<ListingIndex.Head> known = index.flatMap(r -> r.head(id));
    if (known.isPresent()) {
      return Optional.of(entry(state, id, known.get(), status(id, index)));
    }
    ListingIndex.Head head;
    // Without following a link or blocking on a FIFO: a maildrop name is a user's.
    try (QueueFileHead file = state == QueueState.MAILDROP
        ? QueueFileHead.openForeign(path) : QueueFileHead.open(path)) {
      head = new ListingIndex.Head(file.envelope(), file.contentLength(),
          ContentSummary.of(file.openContent()));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // delivered or moved while we looked
    }
    index.ifPresent(r -> r.remember(id, head));
    return Optional.of(entry(state, id, head, status(id, index)));
  }

  private DeliveryStatus status(QueueId id, Optional<ListingIndex> remembered)
      throws IOException {
    Path file = queue.statusFile(id);
    return remembered.isPresent() ? remembered.get().status(id, file) : DeliveryStatus.read(file);
  }

  private static QueueEntry entry(QueueState state, QueueId id, ListingIndex.Head head,
      DeliveryStatus status) {
    Envelope env = head.envelope();
    long contentLength = head.contentLength();
    ContentSummary content = head.content();
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
    return new QueueEntry(
        id,
        state,
        contentLength,
        contentLength - content.headerBytes(),
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
        last);
  }
}
