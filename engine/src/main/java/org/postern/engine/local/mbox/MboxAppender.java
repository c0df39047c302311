package org.postern.engine.local.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.posix.FsIdentity;

/**
 * Appends one message to an mbox file under dotlock and fcntl lock, and returns only when the
 * appended bytes are fsync'd (DESIGN.md, Durability). Model: Postfix local/mailbox.c with
 * global/mail_copy.c.
 *
 * <p>Trusts the message (validated queue file) and the owner (passwd entry). Does not trust
 * the mailbox path: it may be a symlink, not a regular file, hard-linked or foreign-owned.
 * Temporary: lock timeout, foreign owner, I/O errors, disk full (4.2.x / 4.3.x). Permanent:
 * not a regular file, hard-linked (5.2.0), mailbox_size_limit reached (5.2.2). On any failure
 * after the first byte the mailbox is truncated back to its length before the append.
 * Holds no state between appends; thread-safe, one instance may serve all deliveries.
 */
public final class MboxAppender {
  private final MboxSettings settings;
  private final MailLog log;
  private final Clock clock;

  /** An appender dating From_ lines with the system clock in the system time zone. */
  public MboxAppender(MboxSettings settings, MailLog log) {
    this(settings, log, Clock.systemDefaultZone());
  }

  /** An appender dating From_ lines with {@code clock}, in the clock's zone. */
  public MboxAppender(MboxSettings settings, MailLog log, Clock clock) {
    this.settings = settings;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Delivers to a user's spool mailbox, checking (strict) and setting (chown) its owner. As
   * root, where the user may create files in the spool directory (world-writable, or
   * group-writable: then with the directory's group, Debian's mail), the dotlock, open and
   * append run with the user's filesystem identity, so the kernel judges every name there;
   * only a spool no user can write (whose names no user can swap) is written as root.
   */
  public void append(Path mailbox, MailboxOwner owner, MboxMessage message)
      throws TempFailException, PermFailException {
    Optional<Integer> gid = owner.chown() ? userGroupFor(mailbox, owner) : Optional.empty();
    if (gid.isEmpty()) {
      deliver(mailbox, Optional.of(owner), message);
      return;
    }
    // The message is the mail system's, unreadable to the user: open it before switching.
    try (InputStream content = message.content().open();
        FsIdentity user = FsIdentity.assume(owner.uid(), gid.get())) {
      deliver(mailbox, Optional.of(new MailboxOwner(owner.uid(), gid.get(), false)),
          message.withContent(() -> content));
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "cannot deliver to mailbox " + mailbox + ": "
          + e.getMessage(), e);
    }
  }

  /** The group to act as the user with in the spool directory, empty to act as root. */
  private static Optional<Integer> userGroupFor(Path mailbox, MailboxOwner owner)
      throws TempFailException {
    try {
      Map<String, Object> dir =
          Files.readAttributes(mailbox.toAbsolutePath().getParent(), "unix:mode,gid");
      int mode = (Integer) dir.get("mode");
      if ((mode & 0002) != 0) {
        return Optional.of(owner.gid());
      }
      return (mode & 0020) != 0 ? Optional.of((Integer) dir.get("gid")) : Optional.empty();
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "cannot examine the directory of mailbox " + mailbox
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Delivers to a file of the user we run as (~/dead.letter, a /file delivery run as the
   * recipient): no ownership check or chown, but still no symlink, no hard link, regular file
   * only. A dotlock the directory does not allow is skipped with a warning.
   */
  public void appendAsCaller(Path file, MboxMessage message)
      throws TempFailException, PermFailException {
    deliver(file, Optional.empty(), message);
  }

  private void deliver(Path mailbox, Optional<MailboxOwner> owner, MboxMessage message)
      throws TempFailException, PermFailException {
    // Lock out other deliveries and MUAs before opening, as Postfix mbox_open() does, so a
    // mailbox rewritten by an MUA under its dotlock is opened only once the MUA is done.
    try (MailboxLock lock = MailboxLock.acquire(mailbox, settings, owner.isEmpty(), log)) {
      // Open or create without following symlinks; check type, links and owner.
      FileChannel channel = MailboxOpener.open(mailbox, owner, settings.strictOwnership(), log);
      try (channel) {
        lock.lockChannel(channel);
        write(mailbox, channel, message);
      } catch (IOException e) {
        // close() failed after the data was forced: deferring may deliver twice, never zero.
        throw MboxWriter.writeFailure(mailbox, e);
      }
    }
  }

  /** Appends at the end, forces, and on any failure truncates back to the original size. */
  private void write(Path mailbox, FileChannel channel, MboxMessage message)
      throws TempFailException, PermFailException {
    // Record the size: everything after it is ours to take back.
    long before;
    try {
      before = channel.size();
      channel.position(before);
    } catch (IOException e) {
      throw MboxWriter.writeFailure(mailbox, e);
    }
    if (repeated(mailbox, channel, before, message)) {
      return;
    }
    long limit = settings.sizeLimit();
    long allowed = limit == 0 ? Long.MAX_VALUE : Math.max(0, limit - before);
    boolean durable = false;
    try {
      // From_ line, prepended headers, quoted content, blank line (mail_copy.c).
      MboxWriter out = new MboxWriter(channel, mailbox, allowed);
      ZonedDateTime now = ZonedDateTime.now(clock);
      out.line(FromLine.format(settings.fromStyle(), message.sender(), now));
      for (String header : message.prependedHeaders()) {
        out.line(header);
      }
      out.content(message.content());
      out.finish();
      // Durable before we report success (DESIGN.md: the one rule).
      force(mailbox, channel);
      durable = true;
    } finally {
      if (!durable) {
        truncate(mailbox, channel, before);
      }
    }
  }

  /** Whether an attempt a crash interrupted already appended this delivery, durably. */
  private boolean repeated(Path mailbox, FileChannel channel, long size, MboxMessage message)
      throws TempFailException {
    try {
      if (!RepeatedAppend.alreadyIn(channel, size, message)) {
        return false;
      }
      // It is there, but perhaps not on disk yet if the crash came before the fsync.
      channel.force(true);
    } catch (IOException e) {
      throw MboxWriter.writeFailure(mailbox, e);
    }
    log.info("mailbox " + mailbox + " already holds queue id " + message.queueId().get()
        + " from an interrupted attempt: not appended again");
    return true;
  }

  private static void force(Path mailbox, FileChannel channel) throws TempFailException {
    try {
      channel.force(true);
    } catch (IOException e) {
      throw MboxWriter.writeFailure(mailbox, e);
    }
  }

  /** Postfix mail_copy.c: take back a partial append, so no reader sees half a message. */
  private void truncate(Path mailbox, FileChannel channel, long size) {
    try {
      channel.truncate(size);
      channel.force(true);
    } catch (IOException e) {
      // The delivery already fails; what remains is for the administrator to see.
      log.error(
          "cannot truncate mailbox " + mailbox + " back to " + size + " bytes: "
              + e.getMessage());
    }
  }
}
