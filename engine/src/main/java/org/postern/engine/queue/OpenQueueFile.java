package org.postern.engine.queue;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import org.postern.engine.posix.FileStatus;
import org.postern.engine.posix.NotRegularFileException;
import org.postern.engine.posix.OpenFlag;
import org.postern.engine.posix.OpenedFile;
import org.postern.engine.posix.Posix;

/**
 * A queue file someone else may have put there (a maildrop submission, active/ as root sees
 * it), opened without following a symbolic link and without blocking on a FIFO, checked to
 * be a regular file by its open descriptor (fstat), validated and read from that same open
 * file: a name swapped after the check changes nothing (Postfix's pickup opens with
 * O_NONBLOCK and checks S_ISREG).
 *
 * <p>Trusts nothing in the file. Anything but a regular file is a NotRegularFileException, a
 * damaged file a CorruptQueueFileException. Owns the descriptor until {@link #close}; the
 * {@link QueueFile} reads from it until then. Not thread-safe beyond what QueueFile offers.
 */
public final class OpenQueueFile implements Closeable {
  private final OpenedFile file;
  private final QueueFile queueFile;

  private OpenQueueFile(OpenedFile file, QueueFile queueFile) {
    this.file = file;
    this.queueFile = queueFile;
  }

  public static OpenQueueFile open(Path path) throws IOException {
    OpenedFile f = openRegular(path);
    try {
      return new OpenQueueFile(f, QueueFileReader.read(path, f.channel()));
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /** The file, opened as the class comment says; anything but a regular file throws. */
  static OpenedFile openRegular(Path path) throws IOException {
    OpenedFile f = Posix.open(path,
        EnumSet.of(OpenFlag.READ, OpenFlag.NOFOLLOW, OpenFlag.NONBLOCK), 0);
    if (!f.status().isRegularFile()) {
      f.close();
      throw new NotRegularFileException(path.toString(), "not a regular file");
    }
    return f;
  }

  /** What fstat said about the open file (its owner is a maildrop submitter's identity). */
  public FileStatus status() {
    return file.status();
  }

  /** The validated queue file, read from this open file while it stays open. */
  public QueueFile queueFile() {
    return queueFile;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
