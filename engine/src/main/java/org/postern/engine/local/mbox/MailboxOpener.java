package org.postern.engine.local.mbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;

/**
 * Opens a mailbox for appending without trusting its path, as Postfix util/safe_open.c does:
 * symlinks are never followed; an existing mailbox must be a regular file with one link (else
 * 5.2.0) and, when asked, owned by the recipient (else 4.2.0, Postfix defers); a new one is
 * created exclusively, mode 0600 whatever the umask, and given to the recipient when we run
 * as root. A file swapped between check and open is a temporary failure.
 *
 * <p>The mailbox is opened read-write rather than O_APPEND: Java cannot pass O_NONBLOCK, and
 * an O_RDWR open never blocks on a FIFO swapped in after the check. Appends are positioned
 * at the end under the lock instead. Stateless and thread-safe; the caller owns the channel.
 */
final class MailboxOpener {
  private static final Set<PosixFilePermission> MODE_0600 =
      PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> CREATE_0600 =
      PosixFilePermissions.asFileAttribute(MODE_0600);
  private static final Set<OpenOption> EXISTING =
      Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> NEW =
      Set.of(
          StandardOpenOption.READ,
          StandardOpenOption.WRITE,
          StandardOpenOption.CREATE_NEW,
          LinkOption.NOFOLLOW_LINKS);

  /** Creating and opening race with other processes; this many rounds settle any race. */
  private static final int ROUNDS = 3;

  private MailboxOpener() {}

  /**
   * Opens {@code mailbox}, creating it when absent. {@code owner} is empty for a file of the
   * user we act as (~/dead.letter, /file deliveries): no ownership check, no chown, and an
   * executable file is refused (Postfix local/file.c: never append to a program).
   */
  static FileChannel open(
      Path mailbox, Optional<MailboxOwner> owner, boolean strictOwnership, MailLog log)
      throws TempFailException, PermFailException {
    for (int round = 0; round < ROUNDS; round++) {
      Optional<Map<String, Object>> before = status(mailbox);
      try {
        if (before.isEmpty()) {
          return create(mailbox, owner);
        }
        check(mailbox, before.get(), owner, strictOwnership, log);
        FileChannel channel = FileChannel.open(mailbox, EXISTING);
        requireUnchanged(mailbox, before.get(), channel);
        return channel;
      } catch (FileAlreadyExistsException | NoSuchFileException e) {
        // Created or removed by someone else between our look and our open: look again.
      } catch (IOException e) {
        throw new TempFailException(
            "4.2.0", "cannot open mailbox " + mailbox + ": " + e.getMessage(), e);
      }
    }
    throw new TempFailException("4.2.0", "mailbox " + mailbox + " keeps changing; try later");
  }

  /** lstat(2): the mailbox's own attributes, empty when it does not exist. */
  private static Optional<Map<String, Object>> status(Path mailbox) throws TempFailException {
    try {
      return Optional.of(Files.readAttributes(mailbox, "unix:*", LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TempFailException(
          "4.2.0", "cannot examine mailbox " + mailbox + ": " + e.getMessage(), e);
    }
  }

  private static void check(
      Path mailbox,
      Map<String, Object> st,
      Optional<MailboxOwner> owner,
      boolean strictOwnership,
      MailLog log)
      throws TempFailException, PermFailException {
    // Not a regular file (directory, FIFO, device, symlink): nothing to retry.
    if (!Boolean.TRUE.equals(st.get("isRegularFile"))) {
      throw new PermFailException("5.2.0", "mailbox " + mailbox + " is not a regular file");
    }
    // A hard link could make us write into another user's file (safe_open.c).
    int links = (Integer) st.get("nlink");
    if (links != 1) {
      throw new PermFailException(
          "5.2.0", "mailbox " + mailbox + " is hard-linked (" + links + " links)");
    }
    // Postfix local/file.c: a file that is a program is not a mailbox.
    if (owner.isEmpty() && ((Integer) st.get("mode") & 0111) != 0) {
      throw new PermFailException("5.2.0", "cannot append message to file " + mailbox
          + ": file is executable");
    }
    // Postfix local/mailbox.c: a foreign owner is an administrative mistake; defer.
    int uid = (Integer) st.get("uid");
    if (owner.isPresent() && strictOwnership && uid != owner.get().uid()) {
      log.warning(
          "mailbox "
              + mailbox
              + " is owned by uid "
              + uid
              + ", not by the recipient; specify \"strict_mailbox_ownership = no\""
              + " to ignore mailbox ownership mismatch");
      throw new TempFailException("4.2.0", "mailbox " + mailbox + " is not owned by user");
    }
  }

  /** Catches a file replaced between lstat and open (safe_open.c compares dev and inode). */
  private static void requireUnchanged(
      Path mailbox, Map<String, Object> before, FileChannel channel)
      throws IOException, TempFailException {
    Optional<Map<String, Object>> after = status(mailbox);
    if (after.isEmpty() || !Objects.equals(before.get("fileKey"), after.get().get("fileKey"))) {
      channel.close();
      throw new TempFailException(
          "4.2.0", "mailbox " + mailbox + " changed while it was being opened");
    }
  }

  private static FileChannel create(Path mailbox, Optional<MailboxOwner> owner)
      throws IOException, TempFailException {
    FileChannel channel = FileChannel.open(mailbox, NEW, CREATE_0600);
    try {
      // The umask may have taken bits away: set 0600 exactly.
      PosixFileAttributeView view =
          Files.getFileAttributeView(
              mailbox, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      view.setPermissions(MODE_0600);
      // As root, give it to the user, group of the spool directory (Debian: mail).
      if (owner.isPresent() && owner.get().chown()) {
        Object gid = Files.getAttribute(mailbox.toAbsolutePath().getParent(), "unix:gid");
        Files.setAttribute(mailbox, "unix:uid", owner.get().uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(mailbox, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw new TempFailException(
          "4.2.0", "cannot set up new mailbox " + mailbox + ": " + e.getMessage(), e);
    }
  }
}
