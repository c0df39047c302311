package org.postern.maps.hash;

import java.io.File;
import java.nio.MappedByteBuffer;
import org.mapdb.volume.ByteBufferVolSingle;

/**
 * A read-only MapDB volume over a mapping that {@link HashTable} made itself, so the bytes
 * MapDB reads are exactly those whose header was checked (no second open by path).
 *
 * <p>Owns no file descriptor: the channel is closed once mapped. {@link #close} only marks the
 * volume closed and never unmaps: a lookup still running in another thread keeps valid memory,
 * and the mapping is released when the garbage collector frees the buffer (unmapping by hand
 * would crash such a reader). Thread-safe for reads (absolute-index buffer access only).
 */
final class MappedVolume extends ByteBufferVolSingle {
  private final File file;

  MappedVolume(File file, MappedByteBuffer mapping) {
    super(true, mapping.capacity(), false);
    this.file = file;
    this.buffer = mapping;
  }

  @Override
  public void close() {
    closed.set(true);
  }

  @Override
  public void sync() {
    // Read-only: nothing to write back.
  }

  @Override
  public long length() {
    return buffer.capacity();
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public File getFile() {
    return file;
  }

  @Override
  public boolean getFileLocked() {
    return false;
  }

  @Override
  public void truncate(long size) {
    throw new UnsupportedOperationException("read-only table " + file);
  }
}
