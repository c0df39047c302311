package org.postern.engine.local.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.posix.Posix;
import org.postern.maps.io.ProcessId;

/**
 * Exclusive access to one mailbox, taken in Postfix's order (local/mailbox.c, mbox_open): a
 * dotlock {@code MAILBOX.lock} (our pid, written to a file of our own and linked into place,
 * as liblockfile does), then an fcntl lock on the open mailbox.
 * Threads of this JVM are first serialised per mailbox, because fcntl locks belong to the
 * process and Java refuses overlapping ones.
 *
 * <p>The whole acquisition waits at most deliver_lock_attempts x deliver_lock_delay, polling
 * finely; running out is a temporary failure (4.2.0), as is any error creating the dotlock.
 * A dotlock older than stale_lock_time is removed with a warning. Owns the dotlock file, the
 * fcntl lock and the in-process permit until {@link #close}. One instance per delivery, used
 * by one thread; the class itself is thread-safe.
 */
public final class MailboxLock implements AutoCloseable {
  /** In-process owners per mailbox; an entry lives only while someone uses it. */
  private static final ConcurrentHashMap<Path, Holder> HOLDERS = new ConcurrentHashMap<>();

  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final FileAttribute<Set<PosixFilePermission>> LOCK_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final Path mailbox;
  private final Path key;
  private final Path dotlock;
  private final MboxSettings settings;
  private final MailLog log;
  private final long deadline;
  private final long pollNanos;
  private Holder holder;
  private boolean permitHeld;
  private boolean dotlockHeld;
  private FileLock fileLock;

  private MailboxLock(Path mailbox, Path key, MboxSettings settings, MailLog log) {
    this.mailbox = mailbox;
    this.key = key;
    this.dotlock = key.resolveSibling(key.getFileName() + ".lock");
    this.settings = settings;
    this.log = log;
    this.deadline = System.nanoTime() + settings.lockWait().toNanos();
    this.pollNanos =
        Math.max(1, Math.min(MAX_POLL_NANOS, settings.lockDelay().toNanos() / 20));
  }

  /**
   * Serialises in-process and takes the dotlock. With {@code dotlockMayFail} a directory we
   * may not write to only costs the dotlock, with a warning (Postfix MBOX_DOT_LOCK_MAY_FAIL,
   * for files in someone's home); otherwise it is a temporary failure.
   */
  public static MailboxLock acquire(
      Path mailbox, MboxSettings settings, boolean dotlockMayFail, MailLog log)
      throws TempFailException {
    return take(mailbox, settings, true, dotlockMayFail, log);
  }

  /**
   * Serialises in-process only, for a file whose directory the user it is written for may not
   * write: the fcntl lock taken later is then the only lock between processes.
   */
  public static MailboxLock acquireWithoutDotlock(Path mailbox, MboxSettings settings, MailLog log)
      throws TempFailException {
    return take(mailbox, settings, false, false, log);
  }

  private static MailboxLock take(
      Path mailbox, MboxSettings settings, boolean dotlock, boolean dotlockMayFail, MailLog log)
      throws TempFailException {
    MailboxLock lock = new MailboxLock(mailbox, canonical(mailbox), settings, log);
    try {
      lock.takePermit();
      if (dotlock) {
        lock.takeDotlock(dotlockMayFail);
      }
      return lock;
    } catch (TempFailException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** Takes the fcntl lock on the opened mailbox, within what is left of the wait. */
  public void lockChannel(FileChannel channel) throws TempFailException {
    while (true) {
      try {
        fileLock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        // Held elsewhere in this JVM outside our serialisation; treat it as busy.
        fileLock = null;
      } catch (IOException e) {
        throw new TempFailException(
            "4.2.0", "unable to lock mailbox " + mailbox + ": " + e.getMessage(), e);
      }
      if (fileLock != null) {
        return;
      }
      pause("mailbox is locked by another process");
    }
  }

  /** Releases the fcntl lock, removes the dotlock, lets the next thread in. */
  @Override
  public void close() {
    if (fileLock != null && fileLock.isValid()) {
      try {
        fileLock.release();
      } catch (IOException e) {
        // Closing the mailbox channel releases the lock as well; nothing is lost.
        log.warning("cannot release lock on mailbox " + mailbox + ": " + e.getMessage());
      }
    }
    fileLock = null;
    if (dotlockHeld) {
      try {
        Files.deleteIfExists(dotlock);
      } catch (IOException e) {
        log.warning("cannot remove lock file " + dotlock + ": " + e.getMessage());
      }
      dotlockHeld = false;
    }
    if (permitHeld) {
      holder.permit.release();
      permitHeld = false;
    }
    if (holder != null) {
      HOLDERS.computeIfPresent(key, (k, h) -> --h.users == 0 ? null : h);
      holder = null;
    }
  }

  private void takePermit() throws TempFailException {
    holder =
        HOLDERS.compute(
            key,
            (k, h) -> {
              Holder use = h == null ? new Holder() : h;
              use.users++;
              return use;
            });
    try {
      permitHeld = holder.permit.tryAcquire(remaining(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    }
    if (!permitHeld) {
      throw timeout("mailbox is busy with another delivery");
    }
  }

  private void takeDotlock(boolean mayFail) throws TempFailException {
    // Our pid inside, as liblockfile writes it: a lock left by a killed process is seen as
    // stale at once instead of after stale_lock_time. The pid is written to a file of our
    // own first and linked into place, so no one ever sees our lock empty (a kill between
    // create and write left one that blocked the mailbox for stale_lock_time).
    Path temp = dotlock.resolveSibling(dotlock.getFileName() + "." + ProcessId.current()
        + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    try {
      try (SeekableByteChannel ch = Files.newByteChannel(temp,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), LOCK_MODE)) {
        ch.write(ByteBuffer.wrap((ProcessId.current() + "\n")
            .getBytes(StandardCharsets.US_ASCII)));
      }
      while (true) {
        try {
          Files.createLink(dotlock, temp);
          dotlockHeld = true;
          return;
        } catch (FileAlreadyExistsException e) {
          if (!removedStaleDotlock()) {
            pause("lock file " + dotlock + " exists");
          }
        }
      }
    } catch (AccessDeniedException e) {
      if (mayFail) {
        log.warning("cannot create lock file " + dotlock + ": permission denied");
        return;
      }
      throw new TempFailException(
          "4.2.0", "unable to create lock file " + dotlock + ": permission denied", e);
    } catch (IOException e) {
      throw new TempFailException(
          "4.2.0", "unable to create lock file " + dotlock + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      log.warning("cannot remove " + temp + ": " + e.getMessage());
    }
  }

  /**
   * Removes a dotlock left behind by a crashed process: one naming a pid no longer alive on
   * this host, or one older than stale_lock_time (Postfix dot_lockfile.c).
   */
  private boolean removedStaleDotlock() throws TempFailException {
    try {
      OptionalLong holder = holderPid();
      if (holder.isPresent() && !Posix.alive(holder.getAsLong())) {
        Files.deleteIfExists(dotlock);
        log.warning("removed lock file " + dotlock + " of exited process " + holder.getAsLong());
        return true;
      }
      Instant modified =
          Files.getLastModifiedTime(dotlock, LinkOption.NOFOLLOW_LINKS).toInstant();
      Duration age = Duration.between(modified, Instant.now());
      if (age.compareTo(settings.staleLockTime()) <= 0) {
        return false;
      }
      Files.deleteIfExists(dotlock);
      log.warning("removed stale lock file " + dotlock + " (age " + age.toSeconds() + "s)");
      return true;
    } catch (NoSuchFileException e) {
      return true; // released between our attempt and this look: try again at once
    } catch (IOException e) {
      throw new TempFailException(
          "4.2.0", "unable to examine lock file " + dotlock + ": " + e.getMessage(), e);
    }
  }

  /** The pid written in the dotlock, when it holds one (other programs may leave it empty). */
  private OptionalLong holderPid() throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(dotlock, LinkOption.NOFOLLOW_LINKS)) {
      head = in.readNBytes(32);
    }
    String text = new String(head, StandardCharsets.US_ASCII).strip();
    return text.matches("[1-9]\\d{0,9}") ? OptionalLong.of(Long.parseLong(text))
        : OptionalLong.empty();
  }

  /** Sleeps one poll interval, or fails when the wait is used up. */
  private void pause(String why) throws TempFailException {
    long left = remaining();
    if (left <= 0) {
      throw timeout(why);
    }
    try {
      TimeUnit.NANOSECONDS.sleep(Math.min(pollNanos, left));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    }
  }

  private long remaining() {
    return deadline - System.nanoTime();
  }

  private TempFailException timeout(String why) {
    return new TempFailException("4.2.0", "unable to lock mailbox " + mailbox + ": " + why);
  }

  private TempFailException interrupted() {
    return new TempFailException("4.2.0", "interrupted while locking mailbox " + mailbox);
  }

  /**
   * The mailbox's name in its real directory, so that two spellings of one spool directory
   * ({@code /var/spool/mail} is a symlink on Debian) share one in-process lock.
   */
  private static Path canonical(Path mailbox) throws TempFailException {
    Path absolute = mailbox.toAbsolutePath();
    Path dir = absolute.getParent();
    try {
      return dir.toRealPath().resolve(absolute.getFileName());
    } catch (IOException e) {
      throw new TempFailException(
          "4.3.0", "cannot access mailbox directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** One mailbox's in-process gate and the number of deliveries using it. */
  private static final class Holder {
    final Semaphore permit = new Semaphore(1, true);
    int users; // changed only inside HOLDERS.compute/computeIfPresent for this key
  }
}
