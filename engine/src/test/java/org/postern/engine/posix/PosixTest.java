package org.postern.engine.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
  @TempDir Path dir;

  @Test
  @Timeout(10)
  void aFifoDoesNotBlockANonBlockingOpen() throws Exception {
    Path fifo = dir.resolve("fifo");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    try (OpenedFile f = Posix.open(fifo, EnumSet.of(OpenFlag.READ, OpenFlag.NONBLOCK), 0)) {
      assertFalse(f.status().isRegularFile());
      assertThrows(java.io.IOException.class, f::channel);
    }
  }

  @Test
  void aSymlinkIsNotFollowed() throws Exception {
    Path target = Files.writeString(dir.resolve("target"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> Posix.open(link, EnumSet.of(OpenFlag.READ, OpenFlag.NOFOLLOW), 0));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }

  @Test
  void theStatusIsTheOpenFiles() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "hello");
    try (OpenedFile f = Posix.open(file, EnumSet.of(OpenFlag.READ, OpenFlag.NOFOLLOW), 0)) {
      Files.delete(file);
      Files.writeString(file, "other");
      assertTrue(f.status().isRegularFile());
      assertEquals(1, f.status().nlink());
      ByteBuffer b = ByteBuffer.allocate(16);
      f.channel().read(b, 0);
      assertEquals("hello", new String(b.array(), 0, b.position()));
    }
  }

  @Test
  void createNewRefusesAnExistingName() throws Exception {
    Files.writeString(dir.resolve("there"), "x");
    try (Directory d = Posix.directory(dir)) {
      assertThrows(FileAlreadyExistsException.class, () -> d.open("there",
          EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE_NEW, OpenFlag.NOFOLLOW), 0600));
      try (OpenedFile f = d.open("new",
          EnumSet.of(OpenFlag.WRITE, OpenFlag.APPEND, OpenFlag.CREATE_NEW), 0600)) {
        f.channel().write(ByteBuffer.wrap("abc".getBytes()));
      }
      assertEquals("abc", Files.readString(dir.resolve("new")));
      assertThrows(IllegalArgumentException.class, () -> d.open("../x", Set.of(), 0));
    }
  }

  @Test
  void aDirectoryOpenRefusesASymlink() throws Exception {
    Path real = Files.createDirectory(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("dirlink"), real);
    assertThrows(FileSystemException.class, () -> Posix.directory(link));
    assertThrows(NoSuchFileException.class, () -> Posix.directory(dir.resolve("none")));
    try (Directory d = Posix.directory(real)) {
      assertFalse(d.status().isRegularFile());
    }
  }
}
