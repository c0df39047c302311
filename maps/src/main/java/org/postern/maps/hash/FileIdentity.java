package org.postern.maps.hash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * What a path pointed at when a table was opened: the file key (device and inode on Linux),
 * modification time and size. A rebuild renames a new file over the path, so the key changes;
 * mtime and size also catch file systems without file keys.
 *
 * <p>One stat(2) per {@link #of}; no file is opened. Immutable and thread-safe.
 */
record FileIdentity(Object fileKey, FileTime modified, long size) {
  static FileIdentity of(Path file) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    return new FileIdentity(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size());
  }

  // Written out: a record's generated equals and hashCode are bootstrapped through
  // invokedynamic on first use, about 10 ms of method-handle set-up in every command.
  @Override
  public boolean equals(Object o) {
    return o instanceof FileIdentity f && Objects.equals(fileKey, f.fileKey)
        && modified.equals(f.modified) && size == f.size;
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileKey, modified, size);
  }
}
