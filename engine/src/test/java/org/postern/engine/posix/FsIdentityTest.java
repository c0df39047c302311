package org.postern.engine.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.util.ProcessIdentity;

class FsIdentityTest {
  private static final int NOBODY = 65534;

  @TempDir Path dir;
  Path secret;

  @BeforeEach
  void rootOnly() throws Exception {
    assumeTrue(ProcessIdentity.current().isRoot(), "switching identity needs root");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    secret = Files.writeString(dir.resolve("secret"), "root only");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void theKernelRefusesWhatTheUserMayNotRead() throws Exception {
    try (FsIdentity as = FsIdentity.assume(NOBODY, NOBODY)) {
      assertThrows(AccessDeniedException.class, () -> Files.readAllBytes(secret));
      assertThrows(AccessDeniedException.class,
          () -> Files.createFile(dir.resolve("new")));
    }
    assertEquals("root only", Files.readString(secret));
  }

  @Test
  void filesCreatedAsTheUserAreTheUsers() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (FsIdentity as = FsIdentity.assume(NOBODY, NOBODY)) {
      Files.writeString(open.resolve("mine"), "x");
    }
    assertEquals(NOBODY, Files.getAttribute(open.resolve("mine"), "unix:uid"));
    assertEquals(NOBODY, Files.getAttribute(open.resolve("mine"), "unix:gid"));
  }

  @Test
  void otherThreadsKeepRootsIdentity() throws Exception {
    // Started before the switch: a thread created while it is held would inherit it.
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      other.submit(() -> { }).get();
      try (FsIdentity as = FsIdentity.assume(NOBODY, NOBODY)) {
        String read = other.submit(() -> {
          try {
            return Files.readString(secret);
          } catch (Exception e) {
            return e.toString();
          }
        }).get();
        assertEquals("root only", read);
      }
    } finally {
      other.shutdown();
    }
  }

  @Test
  void supplementaryGroupsComeBack() throws Exception {
    Path status = Path.of("/proc/thread-self/status");
    String before = groupsLine(status);
    try (FsIdentity as = FsIdentity.assume(NOBODY, NOBODY)) {
      assertEquals("Groups:\t65534", groupsLine(status).strip());
    }
    assertArrayEquals(before.split("\\s+"), groupsLine(status).split("\\s+"));
  }

  @Test
  void oneIdentityAtATimePerThread() throws Exception {
    try (FsIdentity as = FsIdentity.assume(NOBODY, NOBODY)) {
      assertThrows(IllegalStateException.class, () -> FsIdentity.assume(NOBODY, NOBODY));
    }
  }

  private static String groupsLine(Path status) throws Exception {
    return Files.readAllLines(status).stream().filter(l -> l.startsWith("Groups:"))
        .findFirst().orElseThrow();
  }
}
