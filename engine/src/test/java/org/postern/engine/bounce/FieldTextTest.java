package org.postern.engine.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FieldTextTest {
  @Test
  void escapesControlsDelAndNonAsciiAsXtextHex() {
    assertEquals("a+0D+0Ab+7F+C3+A9 c", FieldText.escape("a\r\nb\u007f\u00e9\tc"));
  }

  @Test
  void capsLongValues() {
    String escaped = FieldText.escape("z".repeat(5000));

    assertEquals(FieldText.MAX_VALUE, escaped.length());
    assertTrue(escaped.endsWith("..."));
  }

  @Test
  void foldsFieldsBeforeSpacesAndUnfoldsToTheSameValue() {
    String value = "word ".repeat(40).strip();

    String field = FieldText.field("Diagnostic-Code", value);

    for (String line : field.split("\n")) {
      assertTrue(line.length() <= FieldText.LINE, line);
    }
    assertTrue(field.startsWith("Diagnostic-Code: word"), field);
    assertEquals("Diagnostic-Code: " + value + "\n", field.replace("\n ", " "));
  }

  @Test
  void neverFoldsRightAfterTheFieldName() {
    String field = FieldText.field("Remote-MTA", "x".repeat(100));

    assertEquals("Remote-MTA: " + "x".repeat(100) + "\n", field);
  }

  @Test
  void formatsRfc5322Dates() {
    assertEquals(
        "Thu, 7 Mar 2024 09:05:03 +0100",
        FieldText.date(1_709_798_703_000L, ZoneOffset.ofHours(1)));
  }
}
