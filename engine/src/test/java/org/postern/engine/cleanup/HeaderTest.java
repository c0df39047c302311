package org.postern.engine.cleanup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderTest {

  @Test
  void buildsAShortHeaderOnOneLine() {
    Header h = Header.of("Subject", "hello");
    assertEquals("Subject: hello\n", new String(h.raw(), UTF_8));
    assertEquals("hello", h.value());
  }

  @Test
  void foldsALongValueAtWhiteSpaceWithinSeventyEightColumns() {
    String value = ("word ").repeat(40).trim();
    Header h = Header.of("Received", value);
    String raw = new String(h.raw(), UTF_8);
    for (String line : raw.split("\n")) {
      assertTrue(line.length() <= 78, line);
    }
    HeaderSection back = HeaderSection.parse(h.raw());
    assertEquals(value, back.values("Received").get(0));
  }

  @Test
  void leavesAnUnbreakableValueLong() {
    String value = "x".repeat(200);
    assertEquals("X: " + value + "\n", new String(Header.of("X", value).raw(), UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nBcc: evil@x", "a\rb", "a\0b"})
  void refusesLineBreaksAndNulInValues(String value) {
    assertThrows(IllegalArgumentException.class, () -> Header.of("Subject", value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Sub ject", "Sub:ject", "Süb"})
  void refusesNamesThatAreNotFtext(String name) {
    assertThrows(IllegalArgumentException.class, () -> Header.of(name, "v"));
  }

  @Test
  void doesNotLetCallersChangeTheRawBytes() {
    Header h = Header.of("Subject", "x");
    h.raw()[0] = 'Z';
    assertEquals('S', h.raw()[0]);
  }
}
