package org.postern.engine.local.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandEnvironmentTest {
  @Test
  void exportsPostfixVariablesInItsOrder() {
    CommandEnvironment env =
        new CommandEnvironment(
            "alice@example.org", "bob+ext@host", "bob+ext@Host", "bob", "ext", "host",
            "bob+ext", "/home/bob", "/bin/bash");
    Map<String, String> map = env.toMap();
    assertEquals(
        List.of(
            "HOME", "LOGNAME", "USER", "SENDER", "RECIPIENT", "LOCAL", "SHELL", "DOMAIN",
            "EXTENSION", "ORIGINAL_RECIPIENT", "PATH"),
        List.copyOf(map.keySet()));
    assertEquals("bob", map.get("LOGNAME"));
    assertEquals("bob+ext@host", map.get("RECIPIENT"));
    assertEquals("/usr/bin:/bin", map.get("PATH"));
  }

  @Test
  void replacesLineBreaksAndShellCharactersByUnderscores() {
    CommandEnvironment env =
        new CommandEnvironment(
            "\"evil\nX-Header: 1\"@example.org", "bob@host", "", "bob", "", "host", "bob",
            "/home/bob smith", "");
    Map<String, String> map = env.toMap();
    assertEquals("_evil_X-Header:_1_@example.org", map.get("SENDER"));
    assertEquals("/home/bob_smith", map.get("HOME"));
    assertEquals("a_b_c_d", CommandEnvironment.censor("a$b`c;d"));
  }

  @Test
  void leavesOutEmptyOptionalValuesButKeepsAnEmptySender() {
    Map<String, String> map =
        new CommandEnvironment("", "bob@host", "", "bob", "", "", "bob", "", "").toMap();
    assertEquals("", map.get("SENDER"));
    for (String absent : List.of("HOME", "SHELL", "DOMAIN", "EXTENSION", "ORIGINAL_RECIPIENT")) {
      assertFalse(map.containsKey(absent), absent);
    }
  }
}
