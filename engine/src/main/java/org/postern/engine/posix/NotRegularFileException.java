package org.postern.engine.posix;

import java.nio.file.FileSystemException;

/**
 * A name that had to be a regular file was something else: a symbolic link (refused by
 * O_NOFOLLOW: ELOOP), a FIFO, a device or a directory. Whoever put it there is not to be
 * trusted; the caller decides whether to remove it.
 */
public final class NotRegularFileException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  public NotRegularFileException(String path, String reason) {
    super(path, null, reason);
  }
}
