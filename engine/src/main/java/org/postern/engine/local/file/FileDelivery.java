package org.postern.engine.local.file;

import java.io.IOException;
import java.io.InputStream;
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
import org.postern.engine.posix.FsIdentity;

/**
 * Delivers a message to a {@code /file} named in aliases, .forward or an include file
 * (Postfix local/file.c): appended in mbox format with the mailbox's locking, {@code >From}
 * quoting, fsync and truncate-back, through {@link MboxAppender}.
 *
 * <p>Does not trust the path: the whole append (dotlock, open or create, write) runs with
 * the filesystem identity of {@code as} ({@link FsIdentity}), so the kernel refuses what
 * that user could not do, at the moment it is done; symlinks, directories, FIFOs, devices,
 * hard-linked and executable files are refused (5.2.0). The queue file is opened first, as
 * ourselves. Permanent, as in Postfix: permission denied and missing directories (5.2.0).
 * Temporary: locks, disk full, I/O errors (from the appender). Never throws for a delivery
 * problem. Stateless; thread-safe.
 */
public final class FileDelivery {
  private final MboxAppender appender;

  public FileDelivery(MboxAppender appender) {
    this.appender = appender;
  }

  /** Appends {@code message} to {@code file} with the rights of {@code as}. */
  public DeliveryOutcome deliver(Path file, RunAs as, MboxMessage message) {
    // Only "/..." is a file in aliases(5) and .forward; anything else reaching us is a bug of
    // the expansion, and a bug must not bounce mail: defer until it is fixed.
    if (!file.isAbsolute() || file.getFileName() == null) {
      return DeliveryOutcome.deferred(
          "4.3.5", "cannot append message to file " + file + ": not an absolute file name");
    }
    // The message is the mail system's, unreadable to the user: open it before switching.
    try (InputStream content = message.content().open();
        FsIdentity user = FsIdentity.assume(as.uid(), as.gid())) {
      appender.appendAsCaller(file,
          message.withContent(() -> content));
      return DeliveryOutcome.delivered("2.0.0", "delivered to file: " + file);
    } catch (PermFailException e) {
      return DeliveryOutcome.of(e);
    } catch (TempFailException e) {
      return refusedByKernel(file, e);
    } catch (IOException e) {
      return DeliveryOutcome.deferred("4.3.0", "cannot append message to file " + file + ": "
          + e.getMessage());
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
