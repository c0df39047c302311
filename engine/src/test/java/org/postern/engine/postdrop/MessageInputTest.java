package org.postern.engine.postdrop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sendmail 8.17's input rules (spec a.4; sendmail collect.c): without -i, a line holding only
 * "." (or ".\r") ends the input and the rest is discarded; a line starting ".." loses one dot;
 * a line starting with one dot and anything else is kept as is (collect.c pushes the character
 * back and keeps the dot outside SMTP mode). With -i every line is data.
 */
class MessageInputTest {
  private static final boolean DOTS_END = false;
  private static final boolean IGNORE_DOTS = true;

  /** Cases as {@code -i?, input, stored}. */
  static Stream<Arguments> cases() {
    List<Arguments> table = new ArrayList<>();
    // Without -i: the dot rules.
    table.add(c(DOTS_END, "a\n.\nb\n", "a\n"));
    table.add(c(DOTS_END, ".\n", ""));
    table.add(c(DOTS_END, ".\nrest is discarded\n", ""));
    table.add(c(DOTS_END, "a\n.\r\nb\n", "a\n"));
    table.add(c(DOTS_END, "a\n.", "a\n"));
    table.add(c(DOTS_END, "..x\n", ".x\n"));
    table.add(c(DOTS_END, "..\n", ".\n"));
    table.add(c(DOTS_END, "...\n", "..\n"));
    table.add(c(DOTS_END, "a\n..\nb\n", "a\n.\nb\n"));
    table.add(c(DOTS_END, ".x\n", ".x\n"));
    table.add(c(DOTS_END, "a\n.signature\n", "a\n.signature\n"));
    table.add(c(DOTS_END, ". \n", ". \n"));
    table.add(c(DOTS_END, "a.\n.b.\n", "a.\n.b.\n"));
    table.add(c(DOTS_END, "x .\n", "x .\n"));
    // With -i: every dot is data.
    table.add(c(IGNORE_DOTS, "a\n.\nb\n", "a\n.\nb\n"));
    table.add(c(IGNORE_DOTS, "..x\n", "..x\n"));
    table.add(c(IGNORE_DOTS, ".x\n", ".x\n"));
    table.add(c(IGNORE_DOTS, ".\r\n", ".\n"));
    table.add(c(IGNORE_DOTS, "a\n.", "a\n.\n"));
    // Line ends, both modes.
    for (boolean i : new boolean[] {DOTS_END, IGNORE_DOTS}) {
      table.add(c(i, "a\r\nb\r\n", "a\nb\n"));
      table.add(c(i, "a\rb\n", "a\rb\n"));
      table.add(c(i, "a\r\r\nb\n", "a\r\nb\n"));
      table.add(c(i, "\r\n\r\n", "\n\n"));
      table.add(c(i, "a", "a\n"));
      table.add(c(i, "a\r\nb", "a\nb\n"));
      table.add(c(i, "", ""));
      table.add(c(i, "\n", "\n"));
      table.add(c(i, "a\0b\n\0\n", "a\0b\n\0\n"));
      table.add(c(i, "caf\u00e9 \u00ff\u0080\n", "caf\u00e9 \u00ff\u0080\n"));
      table.add(c(i, "From me\n", "From me\n"));
      // A bare CR as the last byte is data; the message still ends with a line end.
      table.add(c(i, "a\n\r", "a\n\r\n"));
    }
    return table.stream();
  }

  private static Arguments c(boolean ignoreDots, String in, String out) {
    return Arguments.of(ignoreDots, in, out);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(name = "-i={0}: \"{1}\"")
  @MethodSource("cases")
  void storesInputAsSendmailDoes(boolean ignoreDots, String in, String expected)
      throws IOException {
    byte[] got = new MessageInput(ignoreDots, 0).read(new ByteArrayInputStream(bytes(in)));

    assertEquals(printable(expected), printable(new String(got, StandardCharsets.ISO_8859_1)));
  }

  @ParameterizedTest(name = "-i={0}, one byte per read: \"{1}\"")
  @MethodSource("cases")
  void givesTheSameResultWhenInputTricklesInOneByteAtATime(
      boolean ignoreDots, String in, String expected) throws IOException {
    byte[] got =
        new MessageInput(ignoreDots, 0).read(new OneByteAtATime(bytes(in)));

    assertEquals(printable(expected), printable(new String(got, StandardCharsets.ISO_8859_1)));
  }

  @Test
  void keepsALineLongerThanTheReadBuffer() throws IOException {
    byte[] line = new byte[100 * 1024 + 1];
    Arrays.fill(line, (byte) 'x');
    line[line.length - 1] = '\n';

    assertArrayEquals(line, new MessageInput(false, 0).read(new ByteArrayInputStream(line)));
  }

  @Test
  void seesTheEndDotAtABufferBoundary() throws IOException {
    // First line fills the 64 KiB read buffer exactly; the "." line starts the next read.
    byte[] first = new byte[65536];
    Arrays.fill(first, (byte) 'a');
    first[first.length - 1] = '\n';
    byte[] input = concat(first, bytes(".\nnot part of the message\n"));

    assertArrayEquals(first, new MessageInput(false, 0).read(new ByteArrayInputStream(input)));
  }

  @Test
  void stripsOneDotAtABufferBoundary() throws IOException {
    byte[] first = new byte[65535];
    Arrays.fill(first, (byte) 'a');
    first[first.length - 1] = '\n';
    // The ".." straddles the first and second read: one dot in each.
    byte[] input = concat(first, bytes("..x\n"));

    byte[] got = new MessageInput(false, 0).read(new ByteArrayInputStream(input));

    assertArrayEquals(concat(first, bytes(".x\n")), got);
  }

  @Test
  void joinsACrLfSplitAcrossReads() throws IOException {
    byte[] first = new byte[65536];
    Arrays.fill(first, (byte) 'a');
    first[first.length - 1] = '\r';
    byte[] input = concat(first, bytes("\nb\r\n"));

    byte[] got = new MessageInput(true, 0).read(new ByteArrayInputStream(input));

    byte[] expected = concat(Arrays.copyOf(first, first.length - 1), bytes("\nb\n"));
    assertArrayEquals(expected, got);
  }

  @Test
  void refusesAMessageOverTheSizeLimit() {
    MessageInput.TooLargeException e =
        assertThrows(MessageInput.TooLargeException.class,
            () -> new MessageInput(true, 10).read(new ByteArrayInputStream(bytes("0123456789\n"))));

    assertEquals(10, e.limit());
  }

  @Test
  void acceptsAMessageOfExactlyTheSizeLimit() throws IOException {
    byte[] got = new MessageInput(true, 10).read(new ByteArrayInputStream(bytes("012345678\n")));

    assertEquals(10, got.length);
  }

  @Test
  void countsTheStoredSizeNotTheCrLfInput() throws IOException {
    // 5 lines of "ab\r\n" are 20 bytes in, 15 stored.
    byte[] got =
        new MessageInput(true, 15).read(new ByteArrayInputStream(bytes("ab\r\n".repeat(5))));

    assertEquals(15, got.length);
  }

  @Test
  void refusesAnEndlessInputWithoutReadingItAll() {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 'x');
            return len;
          }
        };

    assertThrows(MessageInput.TooLargeException.class,
        () -> new MessageInput(false, 1 << 20).read(endless));
  }

  @Test
  void stopsReadingAtTheEndDot() throws IOException {
    // Input after the end-of-message dot is neither stored nor counted against the limit.
    byte[] rest = new byte[1 << 20];
    Arrays.fill(rest, (byte) 'z');

    byte[] got =
        new MessageInput(false, 100)
            .read(new ByteArrayInputStream(concat(bytes("a\n.\n"), rest)));

    assertArrayEquals(bytes("a\n"), got);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String printable(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
  }

  /** A stream that returns at most one byte per read, as a slow pipe may. */
  private static final class OneByteAtATime extends FilterInputStream {
    OneByteAtATime(byte[] b) {
      super(new ByteArrayInputStream(b));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1));
    }
  }
}
