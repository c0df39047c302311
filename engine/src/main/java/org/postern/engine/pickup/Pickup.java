package org.postern.engine.pickup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.TempFailException;
import org.postern.engine.global.MailLog;
import org.postern.engine.posix.NotRegularFileException;
import org.postern.engine.queue.CorruptQueueFileException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.OpenQueueFile;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * Takes submissions out of {@code maildrop/}, runs them through cleanup and queues them
 * in {@code incoming/} under a new queue id (Postfix's pickup).
 *
 * <p>Trusts nothing in a maildrop file nor its name: it is opened without following a link
 * or blocking (a FIFO, link or hard link is removed with a warning), validated and read from
 * that open file, and the submitter's identity is its owner uid (fstat), not what it says. The incoming copy is durable before the
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
      OpenQueueFile opened;
      try {
        // Never blocks on a FIFO, never follows a link: the name is a submitter's to change.
        opened = OpenQueueFile.open(file);
      } catch (java.nio.file.NoSuchFileException e) {
        continue; // taken by a concurrent pickup
      } catch (NotRegularFileException e) {
        // A symlink would make us read (as the mail owner) a file its maker cannot.
        Files.deleteIfExists(file);
        log.warning("maildrop " + dropId + ": not a regular file: removed");
        continue;
      } catch (CorruptQueueFileException e) {
        queue.move(dropId, QueueState.MAILDROP, QueueState.CORRUPT);
        log.warning("maildrop " + dropId + ": " + e.getMessage() + ": moved to corrupt/");
        continue;
      } catch (java.nio.file.AccessDeniedException e) {
        // Its submitter made it unreadable: theirs to fix; the others' mail goes on.
        log.warning("maildrop " + dropId + ": cannot read: skipped");
        continue;
      }
      Optional<QueueId> id = pickUp(dropId, opened);
      if (id.isPresent()) {
        queue.remove(dropId, QueueState.MAILDROP);
        picked.put(dropId, id.get());
      }
    }
    return picked;
  }

  /**
   * Queues one opened maildrop file as its owner's submission (fstat's uid, not what the
   * file says); empty when it is to be tried again at the next run.
   */
  private Optional<QueueId> pickUp(QueueId dropId, OpenQueueFile opened) throws IOException {
    try (opened) {
      if (opened.status().nlink() != 1) {
        // A hard link to someone else's file would submit as that file's owner.
        Files.deleteIfExists(queue.file(QueueState.MAILDROP, dropId));
        log.warning("maildrop " + dropId + ": " + opened.status().nlink() + " links: removed");
        return Optional.empty();
      }
      QueueFile submitted = opened.queueFile();
      try (InputStream content = submitted.openContent()) {
        return Optional.of(enqueue(submitted.envelope(), content, opened.status().uid()));
      }
    } catch (IOException | TempFailException e) {
      log.warning("maildrop " + dropId + ": " + e.getMessage() + ": will retry");
      return Optional.empty();
    }
  }

  /**
   * Cleans one submission from the trusted {@code uid} (a maildrop file's owner, or the
   * submission socket's peer) and queues it durably in incoming/; returns its queue id.
   * The content is already in memory (bounded by the submitter); it streams through the
   * same path as an SMTP message. Nothing is left behind on failure. Safe to call from
   * several threads at once.
   */
  public QueueId enqueue(Envelope submitted, byte[] content, int uid) throws TempFailException {
    return enqueue(submitted, new ByteArrayInputStream(content), uid);
  }

  /** As {@link #enqueue(Envelope, byte[], int)}, the content streamed from {@code content}. */
  private QueueId enqueue(Envelope submitted, InputStream content, int uid)
      throws TempFailException {
    QueueId id = QueueId.next();
    try (MessageSink message = open(id, submitted, uid, Cleanup.Origin.LOCAL,
        QueueState.INCOMING)) {
      content.transferTo(message.content());
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
      writer = QueueFileWriter.open(target, QueueDirectory.FILE_MODE,
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
