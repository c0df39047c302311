package org.postern.engine.showq;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a listing needs from a message's header: its length in bytes (through the blank
 * line that ends it), so the body size can be shown as sendmail does, and the
 * Precedence: value, which sets sendmail's priority class.
 *
 * <p>Reads only the header of a queue file's content (the envelope was checked; the content
 * is trusted for nothing but this count); a message without a blank line is all header.
 * Immutable.
 */
record ContentSummary(long headerBytes, String precedence) {
  private static final String PRECEDENCE = "precedence:";

  static ContentSummary of(InputStream content) throws IOException {
    long bytes = 0;
    String precedence = "";
    try (InputStream in = new BufferedInputStream(content)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0) {
        bytes++;
        if (c != '\n') {
          line.write(c);
          continue;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
          break; // RFC 5322 §2.1: an empty line ends the header section
        }
        if (precedence.isEmpty() && text.toLowerCase(Locale.ROOT).startsWith(PRECEDENCE)) {
          precedence = text.substring(PRECEDENCE.length()).strip().toLowerCase(Locale.ROOT);
        }
      }
    }
    return new ContentSummary(bytes, precedence);
  }
}
