package org.postern.compat.admin;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns an I/O failure into the one line a command prints: the path and the reason, in
 * perror(3)'s words where the JDK gives only an exception type. Stateless.
 */
final class ErrorLine {
  private ErrorLine() {}

  static String of(IOException e) {
    if (!(e instanceof FileSystemException)) {
      return e.getMessage();
    }
    FileSystemException f = (FileSystemException) e;
    String other = f.getOtherFile() == null ? "" : " -> " + f.getOtherFile();
    return f.getFile() + other + ": " + (f.getReason() != null ? f.getReason() : reasonOf(f));
  }

  private static String reasonOf(FileSystemException e) {
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "File exists";
    }
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof NotDirectoryException) {
      return "Not a directory";
    }
    return e.getClass().getSimpleName();
  }
}
