package org.postern.compat.daemon;

import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.io.FileOwner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * A daemon's pid file, {@code $queue_directory/pid/NAME.pid} ({@link #MASTER} for the mail
 * system, {@link #LOCAL} for the local delivery service), locked (fcntl) for as long
 * as the daemon lives: the lock, not the number in the file, says whether a daemon runs, so
 * a daemon killed with SIGKILL never leaves a stale "running" behind (Postfix's
 * master.pid works the same way).
 *
 * <p>Trusts the queue directory. {@link #claim} is for the daemon, {@link #runningPid} for
 * the commands that control it. Not thread-safe; the daemon keeps one for its lifetime.
 */
final class PidFile implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private PidFile(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The mail system's daemon (postern start). */
  static final String MASTER = "master";

  /** The local delivery service (postern local). */
  static final String LOCAL = "local";

  static Path path(Path queueRoot, String name) {
    return queueRoot.resolve("pid").resolve(name + ".pid");
  }

  /** Locks the pid file and writes our pid; empty when another daemon holds it. */
  static java.util.Optional<PidFile> claim(Path queueRoot, String name) throws IOException {
    Path file = path(queueRoot, name);
    if (!Files.isDirectory(file.getParent())) {
      Files.createDirectories(file.getParent());
      if (ProcessIdentity.current().isRoot()) {
        // root's local delivery service may come first: the directory is the mail owner's.
        FileOwner.of(queueRoot).applyTo(file.getParent());
      }
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      return java.util.Optional.empty();
    }
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(String.format("%10d%n", ProcessHandle.current().pid())
        .getBytes(StandardCharsets.US_ASCII)), 0);
    ch.force(true);
    return java.util.Optional.of(new PidFile(ch, l));
  }

  /** The running daemon's pid, or empty when none holds the lock. */
  static OptionalLong runningPid(Path queueRoot, String name) throws IOException {
    Path file = path(queueRoot, name);
    // A shared lock needs only read access, so any user can ask.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      FileLock probe;
      try {
        probe = ch.tryLock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException e) {
        probe = null; // this very process is the daemon
      }
      if (probe != null) {
        probe.release();
        return OptionalLong.empty();
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return text.matches("\\d{1,10}") ? OptionalLong.of(Long.parseLong(text))
          : OptionalLong.empty();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
