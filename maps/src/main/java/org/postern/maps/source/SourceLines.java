package org.postern.maps.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Splits a table source into physical lines, with one line of look-ahead (postmap and the
 * aliases reader need it to see whether the next line continues the current one).
 *
 * <p>Trusts nothing in the bytes: a line ends at LF, one CR before the LF is dropped (files edited
 * on Windows), a last line without LF still counts, and there is no length limit. Bytes are decoded
 * as UTF-8; a line that is not UTF-8 is decoded with U+FFFD for each malformed sequence and
 * flagged, so the caller decides what to do with it. NUL bytes are kept. I/O errors are the
 * caller's to report. Not thread-safe; owns no resources (the caller closes the stream).
 */
public final class SourceLines {
  private final InputStream in;
  private final CharsetDecoder strictUtf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[64 * 1024];
  private int chunkPos;
  private int chunkEnd;
  private byte[] line = new byte[256];
  private int lineNumber;
  private boolean atEof;
  private SourceLine ahead;

  public SourceLines(InputStream in) {
    this.in = in;
  }

  /** True when Postfix's and sendmail's {@code isspace()} (C locale) holds for {@code c}. */
  public static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }

  public boolean hasNext() throws IOException {
    if (ahead == null && !atEof) {
      ahead = readLine();
    }
    return ahead != null;
  }

  /** The next line without consuming it; only after {@link #hasNext()} returned true. */
  public SourceLine peek() throws IOException {
    if (!hasNext()) {
      throw new NoSuchElementException("end of input");
    }
    return ahead;
  }

  public SourceLine next() throws IOException {
    SourceLine result = peek();
    ahead = null;
    return result;
  }

  /** Reads up to the next LF; null only at end of input with no bytes pending. */
  private SourceLine readLine() throws IOException {
    int length = 0;
    boolean sawNewline = false;
    int bits = 0; // every byte OR'ed: its sign bit says whether one was not ASCII
    while (!sawNewline) {
      if (chunkPos == chunkEnd && !fill()) {
        break;
      }
      // Copy up to the LF (or the end of the chunk) into the line buffer.
      int start = chunkPos;
      byte b;
      while (chunkPos < chunkEnd && (b = chunk[chunkPos]) != '\n') {
        bits |= b;
        chunkPos++;
      }
      int n = chunkPos - start;
      if (length + n > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
      }
      System.arraycopy(chunk, start, line, length, n);
      length += n;
      if (chunkPos < chunkEnd) {
        chunkPos++;
        sawNewline = true;
      }
    }
    if (!sawNewline && length == 0) {
      atEof = true;
      return null;
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    lineNumber++;
    return decode(length, bits >= 0);
  }

  private boolean fill() throws IOException {
    int n = in.read(chunk);
    if (n <= 0) {
      return false;
    }
    chunkPos = 0;
    chunkEnd = n;
    return true;
  }

  private SourceLine decode(int length, boolean ascii) {
    if (ascii) {
      // Fast path: ASCII is its own Latin-1 decoding, and most table sources are ASCII.
      return new SourceLine(
          lineNumber, new String(line, 0, length, StandardCharsets.ISO_8859_1), true);
    }
    try {
      String text = strictUtf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
      return new SourceLine(lineNumber, text, true);
    } catch (CharacterCodingException e) {
      // Not UTF-8: keep the line readable for diagnostics; the reader decides its fate.
      return new SourceLine(lineNumber, new String(line, 0, length, StandardCharsets.UTF_8), false);
    }
  }
}
