package org.postern.engine.local.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.util.ProcessIdentity;

class OpenFileTest {
  @TempDir Path dir;

  @Test
  void seesTheOpenFileAfterItsNameChanged() throws IOException {
    Path first = Files.writeString(dir.resolve("first"), "abc");
    Path second = dir.resolve("second");
    try (FileChannel channel = FileChannel.open(first, StandardOpenOption.READ)) {
      channel.position(2);
      Object inode = Files.getAttribute(first, "unix:ino");
      Files.move(first, second);
      Files.writeString(first, "an impostor under the old name");
      OpenFile open = OpenFile.of(channel);
      assertEquals(inode, open.status().get("ino"));
      assertEquals(second.toRealPath(), open.path());
      assertEquals(2, channel.position());
    }
  }

  @Test
  void givesTheOpenFileAwayNotWhatTheNameNowMeans() throws IOException {
    assumeTrue(ProcessIdentity.current().isRoot(), "needs root");
    Path name = Files.writeString(dir.resolve("name"), "");
    try (FileChannel channel = FileChannel.open(name, StandardOpenOption.WRITE)) {
      Path moved = dir.resolve("moved");
      Files.move(name, moved);
      Files.writeString(name, "");
      OpenFile.of(channel).giveTo(65534, 65534);
      assertEquals(65534, Files.getAttribute(moved, "unix:uid"));
      assertEquals(0100600, Files.getAttribute(moved, "unix:mode"));
      assertEquals(0, Files.getAttribute(name, "unix:uid"));
    }
  }
}
