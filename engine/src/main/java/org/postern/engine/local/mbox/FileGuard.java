package org.postern.engine.local.mbox;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;

/**
 * Checks that an append to a file other than a spool mailbox ({@code /file} in aliases or
 * .forward) must pass, some of which only the open file can answer: a root process writing on
 * a user's behalf must not write where the user could not (Postfix switches to the user with
 * set_eugid() and lets the kernel decide; Java cannot, so the guard decides from fstat).
 *
 * <p>{@link MboxAppender#appendGuarded} calls {@link #allowsDotlock} before locking,
 * {@link #checkCreate} before creating a missing file, and {@link #checkOpened} on the channel
 * before the first byte is written; a created file gets its mode and owner there. The
 * implementation decides temporary or permanent. One instance per append.
 */
public interface FileGuard {
  /** Whether a {@code FILE.lock} may be created next to {@code file}. */
  boolean allowsDotlock(Path file) throws TempFailException;

  /** Called before {@code file} is created; throws to refuse. */
  void checkCreate(Path file) throws TempFailException, PermFailException;

  /**
   * Called with the open channel of {@code file} before anything is written; {@code created}
   * when we just created it (mode and owner are the guard's to set). Throws to refuse.
   */
  void checkOpened(Path file, FileChannel channel, boolean created)
      throws TempFailException, PermFailException;
}
