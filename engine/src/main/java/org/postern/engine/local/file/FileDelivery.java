package org.postern.engine.local.file;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.RunAs;
import org.postern.engine.local.mbox.MboxAppender;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.util.ProcessIdentity;

/**
 * Delivers a message to a {@code /file} named in aliases, .forward or an include file
 * (Postfix local/file.c): appended in mbox format with the mailbox's locking, {@code >From}
 * quoting, fsync and truncate-back, through {@link MboxAppender}.
 *
 * <p>Does not trust the path: symlinks, directories, FIFOs, devices, hard-linked and
 * executable files are refused (5.2.0). As root for another user, the append is allowed only
 * where that user could write ({@link AppendGuard}); otherwise it runs as ourselves and the
 * kernel decides. Permanent, as in Postfix: permission denied and missing directories
 * (5.2.0). Temporary: locks, disk full, I/O errors (from the appender). Never throws for a
 * delivery problem. Stateless; thread-safe.
 */
public final class FileDelivery {
  private final MboxAppender appender;
  private final ProcessIdentity self;

  public FileDelivery(MboxAppender appender, ProcessIdentity self) {
    this.appender = appender;
    this.self = self;
  }

  /** Appends {@code message} to {@code file} with the rights of {@code as}. */
  public DeliveryOutcome deliver(Path file, RunAs as, MboxMessage message) {
    // Only "/..." is a file in aliases(5) and .forward; anything else reaching us is a bug of
    // the expansion, and a bug must not bounce mail: defer until it is fixed.
    if (!file.isAbsolute() || file.getFileName() == null) {
      return DeliveryOutcome.deferred(
          "4.3.5", "cannot append message to file " + file + ": not an absolute file name");
    }
    boolean asUser = self.isRoot() && as.uid() != self.effectiveUid();
    AppendGuard guard = new AppendGuard(as, asUser);
    try {
      guard.checkReachable(file);
      appender.appendGuarded(file, guard, message);
      return DeliveryOutcome.delivered("2.0.0", "delivered to file: " + file);
    } catch (PermFailException e) {
      return DeliveryOutcome.of(e);
    } catch (TempFailException e) {
      return refusedByKernel(file, e);
    }
  }

  /**
   * Postfix bounces EACCES and ENOENT on a /file (only EAGAIN, ENOSPC, ESTALE defer); the
   * appender, written for spool mailboxes, defers them. Only errors about this file or a
   * directory above it count, not errors reading the queue file.
   */
  private static DeliveryOutcome refusedByKernel(Path file, TempFailException e) {
    if (e.getCause() instanceof FileSystemException fse
        && fse.getFile() != null
        && file.startsWith(Path.of(fse.getFile()))) {
      if (fse instanceof AccessDeniedException) {
        return refused(file, "Permission denied");
      }
      if (fse instanceof NoSuchFileException) {
        return refused(file, "No such file or directory");
      }
    }
    return DeliveryOutcome.of(e);
  }

  private static DeliveryOutcome refused(Path file, String why) {
    return DeliveryOutcome.bounced("5.2.0", "cannot append message to file " + file + ": " + why);
  }
}
