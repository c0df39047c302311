package org.postern.engine.showq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;

/**
 * What the daemon's {@link QueueScanner} remembers between listings, so that a listing of a
 * big queue reads its directories, not its files: each message's envelope summary, which
 * never changes under its id (every queue writer makes a new id; a move between states is a
 * rename), and its status sidecar as last read, which does change.
 *
 * <p>A remembered status is used unchecked only while status/ is unchanged since a listing
 * checked every status against its file: a sidecar is only ever replaced by a rename into
 * status/ or removed, and both change the directory's mtime. That mtime counts only once it
 * is {@link #QUIET_MILLIS} older than the listing that checked it, so a change within the
 * same clock tick as the check is never missed. Otherwise each status is checked by one
 * stat (file key, mtime, size) and read again when it differs. Maildrop files (a user's,
 * who may reuse a name) are never remembered. What the last listing did not see is
 * forgotten. Trusts the queue owner's directories. Not thread-safe: one listing at a time.
 */
final class ListingIndex {
  /** What a listing needs of a queue file: its envelope, content length and header summary. */
  record Head(Envelope envelope, long contentLength, ContentSummary content) {}

  private record Status(DeliveryStatus status, Object fileKey, FileTime modified, long size) {}

  private static final long QUIET_MILLIS = 1000;

  private final Map<QueueId, Head> heads = new HashMap<>();
  private final Map<QueueId, Status> statuses = new HashMap<>();
  /** status/'s mtime when a listing last checked every status, if it has not changed since. */
  private Optional<FileTime> checked = Optional.empty();
  // The listing under way.
  private final Set<QueueId> seen = new HashSet<>();
  private FileTime listingMtime = FileTime.fromMillis(0);
  private long listingStart;
  private boolean trusted;

  /** A listing starts. */
  void begin(Path statusDir) throws IOException {
    listingStart = System.currentTimeMillis();
    listingMtime = mtime(statusDir);
    trusted = checked.isPresent() && checked.get().equals(listingMtime);
    seen.clear();
  }

  /** The remembered head of a message the listing has found. */
  Optional<Head> head(QueueId id) {
    seen.add(id);
    return Optional.ofNullable(heads.get(id));
  }

  void remember(QueueId id, Head head) {
    heads.put(id, head);
  }

  /** The message's status, from memory when that is still what {@code file} holds. */
  DeliveryStatus status(QueueId id, Path file) throws IOException {
    Status known = statuses.get(id);
    if (trusted && known != null) {
      return known.status();
    }
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      statuses.remove(id);
      return DeliveryStatus.fresh(); // no attempt yet
    }
    if (known != null && Objects.equals(known.fileKey(), now.fileKey())
        && known.modified().equals(now.lastModifiedTime()) && known.size() == now.size()) {
      return known.status();
    }
    // Stat first, then read: a replacement in between is read now and seen again next time.
    DeliveryStatus read = DeliveryStatus.read(file);
    statuses.put(id, new Status(read, now.fileKey(), now.lastModifiedTime(), now.size()));
    return read;
  }

  /** The listing is complete: forget what it did not see; trust status/ if it was quiet. */
  void end(Path statusDir) throws IOException {
    heads.keySet().retainAll(seen);
    statuses.keySet().retainAll(seen);
    boolean quiet = mtime(statusDir).equals(listingMtime)
        && listingMtime.toMillis() < listingStart - QUIET_MILLIS;
    checked = quiet ? Optional.of(listingMtime) : Optional.empty();
  }

  private static FileTime mtime(Path dir) throws IOException {
    return Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS);
  }
}
