package org.postern.maps.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One durable write in progress, for writers that stream (a message read from the network):
 * the temp file is open, {@link #out()} takes the bytes through one 64 KiB buffer, and
 * {@link #commit()} does the rest of {@link DurableFiles}' steps (flush, fsync, atomic rename,
 * fsync of the directory). Closing it without a commit abandons it: the temp file is removed.
 *
 * <p>Trusts its caller's paths. An IOException from any step means the target is untouched
 * (or, if the directory fsync failed after the rename, present but not known durable: the
 * caller must still report failure). Owns the temp file and its channel until commit or close.
 * One per write; not thread-safe.
 */
public final class DurableFile implements Closeable {
  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream out;
  private boolean committed;

  private DurableFile(Path target, Path temp, FileChannel channel) {
    this.target = target;
    this.temp = temp;
    this.channel = channel;
    this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 65536);
  }

  /** Creates the temp file next to {@code target}. */
  static DurableFile create(Path target, String permissions) throws IOException {
    Path temp = DurableFiles.createTemp(target.toAbsolutePath().getParent(), permissions);
    try {
      return new DurableFile(target, temp, FileChannel.open(temp, StandardOpenOption.WRITE));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Where the content goes; not to be closed by the caller. */
  public OutputStream out() {
    return out;
  }

  /** Flushes, fsyncs and renames the file into place, then fsyncs the directory. */
  public void commit() throws IOException {
    out.flush();
    channel.force(true);
    channel.close();
    DurableFiles.move(temp, target);
    committed = true;
  }

  /** Abandons the write unless it was committed: the temp file is removed. */
  @Override
  public void close() throws IOException {
    if (committed) {
      return;
    }
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
