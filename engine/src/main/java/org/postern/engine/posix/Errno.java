package org.postern.engine.posix;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Turns a failed system call's errno into the java.nio.file exception the JDK would have
 * thrown for it, so callers handle native and JDK opens alike. Stateless.
 */
final class Errno {
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int ESRCH = 3;
  static final int EACCES = 13;
  static final int EEXIST = 17;
  static final int ELOOP = 40;

  private Errno() {}

  static IOException exception(String path, LastErrorException e) {
    int errno = e.getErrorCode();
    String text = Libc.C.strerror(errno);
    return switch (errno) {
      case ENOENT -> new NoSuchFileException(path);
      case EACCES, EPERM -> new AccessDeniedException(path, null, text);
      case EEXIST -> new FileAlreadyExistsException(path);
      case ELOOP -> new NotRegularFileException(path, "is a symbolic link");
      default -> new FileSystemException(path, null, text);
    };
  }
}
