package org.postern.compat.mailq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonLinesTest {
  @Test
  void quotesAsPostfixJsonQuoteDoes() {
    assertEquals("a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u007F/é",
        JsonLines.quote("a\"b\\c\b\f\n\r\t\u0001\u007f/é"));
  }

  @Test
  void leavesPlainTextAlone() {
    assertEquals("bob@example.org", JsonLines.quote("bob@example.org"));
  }
}
