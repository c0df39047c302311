package org.postern.engine.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunAsTest {
  private final RunAs nobody = new RunAs("nobody", 65534, 65534, Path.of("/nonexistent"), "");

  @Test
  void ownerClassDecidesForTheOwner() {
    assertTrue(nobody.mayAccess(65534, 0, 0600, RunAs.WRITE));
    // The kernel looks at the owner bits only, even when "other" may write.
    assertFalse(nobody.mayAccess(65534, 0, 0466, RunAs.WRITE));
  }

  @Test
  void groupClassDecidesForThePrimaryGroup() {
    assertTrue(nobody.mayAccess(0, 65534, 0660, RunAs.WRITE));
    assertFalse(nobody.mayAccess(0, 65534, 0646, RunAs.WRITE));
  }

  @Test
  void otherClassDecidesForEveryoneElse() {
    assertTrue(nobody.mayAccess(0, 0, 0666, RunAs.WRITE));
    assertFalse(nobody.mayAccess(0, 0, 0664, RunAs.WRITE));
  }

  @Test
  void needsEveryBitAskedFor() {
    assertFalse(nobody.mayAccess(0, 0, 040777 & ~01, RunAs.WRITE | RunAs.SEARCH));
    assertTrue(nobody.mayAccess(0, 0, 040777, RunAs.WRITE | RunAs.SEARCH));
  }

  @Test
  void rootMayDoAnything() {
    RunAs root = new RunAs("root", 0, 0, Path.of("/root"), "/bin/sh");
    assertTrue(root.mayAccess(65534, 65534, 0, RunAs.WRITE | RunAs.SEARCH));
  }
}
