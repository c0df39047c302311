package org.postern.engine.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStufferTest {
  private static String stuff(String content) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DotStuffer.copy(new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)),
        out);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void stuffsDotsAndEndsLinesWithCrlf() throws Exception {
    assertEquals("a\r\n..b\r\n\r\nc\r\n", stuff("a\n.b\n\nc"));
    assertEquals("x\r\n", stuff("x\r\n"));
  }

  @Test
  void breaksLinesLongerThan998OctetsWithCrlfSpace() throws Exception {
    String longLine = "y".repeat(2500);
    String sent = stuff("short\n" + longLine + "\nend\n");
    String[] lines = sent.split("\r\n", -1);
    assertEquals("short", lines[1 - 1]);
    assertEquals(998, lines[1].length());
    assertEquals(" " + "y".repeat(997), lines[2]);
    assertEquals(" " + "y".repeat(2500 - 998 - 997), lines[3]);
    assertEquals("end", lines[4]);
    assertEquals(longLine, lines[1] + lines[2].substring(1) + lines[3].substring(1));
    assertEquals(998, stuff("z".repeat(998) + "\n").indexOf('\r')); // exactly 998: untouched
  }
}
