package org.postern.engine.pickup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.TempFailException;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.CorruptQueueFileException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * Takes submissions out of {@code maildrop/}, runs them through cleanup and queues them
 * in {@code incoming/} under a new queue id (Postfix's pickup).
 *
 * <p>Trusts nothing in a maildrop file: it is validated, and the submitter's identity is
 * the file's owner uid, not what the file says. The incoming copy is durable before the
 * maildrop file is removed (a crash may duplicate, never lose). Damaged files go to
 * corrupt/; a file that cannot be cleaned or queued now stays for the next run. Half-written
 * temp files older than an hour are reaped. {@link #run} is not thread-safe; the per-message
 * {@link #enqueue} (also used by the submission socket) and {@link #open} (the SMTP server's
 * streaming intake) are.
 */
public final class Pickup {

  private final QueueDirectory queue;
  private final Cleanup cleanup;
  private final MailLog log;
  private final Clock clock;

  public Pickup(QueueDirectory queue, Cleanup cleanup, MailLog log, Clock clock) {
    this.queue = queue;
    this.cleanup = cleanup;
    this.log = log;
    this.clock = clock;
  }

  /** Picks up every maildrop file; returns maildrop id to queue id for those queued. */
  public Map<QueueId, QueueId> run() throws IOException {
    reapTempFiles();
    Map<QueueId, QueueId> picked = new LinkedHashMap<>();
    for (QueueId dropId : queue.list(QueueState.MAILDROP)) {
      Path file = queue.file(QueueState.MAILDROP, dropId);
      QueueFile submitted;
      int uid;
      try {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          // A symlink would make us read (as the mail owner) a file its maker cannot.
          Files.deleteIfExists(file);
          log.warning("maildrop " + dropId + ": not a regular file: removed");
          continue;
        }
        uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        submitted = QueueFileReader.read(file);
      } catch (java.nio.file.NoSuchFileException e) {
        continue; // taken by a concurrent pickup
      } catch (CorruptQueueFileException e) {
        queue.move(dropId, QueueState.MAILDROP, QueueState.CORRUPT);
        log.warning("maildrop " + dropId + ": " + e.getMessage() + ": moved to corrupt/");
        continue;
      }
      QueueId id;
      try {
        id = enqueue(submitted.envelope(), submitted.readContent(), uid);
      } catch (IOException | TempFailException e) {
        log.warning("maildrop " + dropId + ": " + e.getMessage() + ": will retry");
        continue;
      }
      queue.remove(dropId, QueueState.MAILDROP);
      picked.put(dropId, id);
    }
    return picked;
  }

  /**
   * Cleans one submission from the trusted {@code uid} (a maildrop file's owner, or the
   * submission socket's peer) and queues it durably in incoming/; returns its queue id.
   * The content is already in memory (bounded by the submitter); it streams through the
   * same path as an SMTP message. Nothing is left behind on failure. Safe to call from
   * several threads at once.
   */
  public QueueId enqueue(Envelope submitted, byte[] content, int uid) throws TempFailException {
    QueueId id = QueueId.next();
    try (MessageSink message = open(id, submitted, uid, Cleanup.Origin.LOCAL,
        QueueState.INCOMING)) {
      message.content().write(content);
      message.commit();
    } catch (IOException e) {
      throw new TempFailException("4.3.0", id + ": cannot write: " + e.getMessage(), e);
    }
    return id;
  }

  /**
   * Starts a message from {@code origin} for incoming/ (or hold/ for a quarantined one) under
   * {@code id}, chosen by the caller beforehand (a fresh {@link QueueId#next()}: the SMTP
   * server writes it into its Received header first). The envelope is cleaned now; the
   * content is cleaned as the caller streams it in, and {@link MessageSink#commit()} returns
   * once the queue file and its directory entry are fsync'd. Closing it uncommitted leaves
   * nothing behind. Safe to call from several threads at once.
   */
  public MessageSink open(QueueId id, Envelope submitted, int uid, Cleanup.Origin origin,
      QueueState into) throws TempFailException {
    Cleanup.Cleaned cleaned = cleanup.clean(id, submitted, uid, origin);
    Path target = queue.file(into, id);
    QueueFileWriter writer;
    try {
      writer = QueueFileWriter.open(target, QueueDirectory.FILE_MODE, Optional.empty(),
          cleaned.envelope());
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "cannot write " + target + ": " + e.getMessage(), e);
    }
    return new IncomingMessage(id, cleaned, writer, cleanup.content(cleaned, writer.content()),
        log);
  }

  private void reapTempFiles() throws IOException {
    for (Path temp : queue.staleTempFiles(QueueState.MAILDROP, clock.millis())) {
      if (Files.deleteIfExists(temp)) {
        log.warning("removed stale maildrop temp file " + temp.getFileName());
      }
    }
  }
}
