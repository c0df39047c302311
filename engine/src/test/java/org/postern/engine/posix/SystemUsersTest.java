package org.postern.engine.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.maps.passwd.PasswdEntry;

/** The system's users as the C library finds them, compared with /etc/passwd itself. */
class SystemUsersTest {
  private final SystemUsers users = new SystemUsers();

  /** The /etc/passwd line of {@code name}, as getent would print it for a files user. */
  private static String passwdLine(String name) throws Exception {
    return Files.readAllLines(Path.of("/etc/passwd")).stream()
        .filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow();
  }

  @Test
  void findsRootByNameAndByUidWithEveryField() throws Exception {
    PasswdEntry root = users.byName("root").orElseThrow();
    assertEquals(passwdLine("root"), root.toLine());
    assertEquals(Optional.of(root), users.byUid(0));
  }

  @Test
  void findsEveryUserOfTheFilesDatabase() throws Exception {
    for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
      String name = line.substring(0, line.indexOf(':'));
      if (name.chars().allMatch(Character::isDigit) || line.split(":", -1)[5].isEmpty()) {
        continue;
      }
      PasswdEntry e = users.byName(name).orElseThrow();
      String[] f = line.split(":", -1);
      assertEquals(Integer.parseInt(f[2]), e.uid(), line);
      assertEquals(Integer.parseInt(f[3]), e.gid(), line);
      assertEquals(f[4], e.gecos(), line);
      assertEquals(Path.of(f[5]), e.home(), line);
      assertEquals(f[6], e.shell(), line);
    }
  }

  @Test
  void anUnknownNameOrUidIsEmptyNotAnError() throws Exception {
    assertEquals(Optional.empty(), users.byName("no-such-user-postern-test"));
    assertEquals(Optional.empty(), users.byUid(2_000_000_123));
  }

  @Test
  void optionLikeAndNumericNamesAreNeverLookedUp() throws Exception {
    assertEquals(Optional.empty(), users.byName("-root"));
    assertEquals(Optional.empty(), users.byName("0"));
    assertEquals(Optional.empty(), users.byName(""));
    assertTrue(users.byName("root").isPresent());
  }
}
