package org.postern.engine.cleanup;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderSectionTest {

  private static HeaderSection parse(String s) {
    return HeaderSection.parse(s.getBytes(ISO_8859_1));
  }

  private static List<String> names(HeaderSection h) {
    return h.headers().stream().map(Header::name).toList();
  }

  @Test
  void splitsHeadersAtTheEmptyLine() {
    HeaderSection h = parse("Subject: hi\nTo: a@x\n\nbody\n");
    assertEquals(List.of("Subject", "To"), names(h));
    assertEquals(List.of("hi"), h.values("subject"));
    assertTrue(h.hasSeparator());
    assertEquals("Subject: hi\nTo: a@x\n\n".length(), h.bodyOffset());
  }

  @Test
  void unfoldsContinuationLinesAndKeepsThemInTheRawBytes() {
    HeaderSection h = parse("To: a@x,\n  b@y,\n\tc@z\nSubject: s\n\nb\n");
    Header to = h.headers().get(0);
    assertEquals("a@x,  b@y,\tc@z", to.value());
    assertEquals("To: a@x,\n  b@y,\n\tc@z\n", new String(to.raw(), ISO_8859_1));
    assertEquals("Subject", h.headers().get(1).name());
  }

  @Test
  void treatsTheWholeInputAsBodyWhenTheFirstLineIsNotAHeader() {
    HeaderSection h = parse("hello world\nTo: a@x\n");
    assertTrue(h.headers().isEmpty());
    assertEquals(0, h.bodyOffset());
    assertFalse(h.hasSeparator());
  }

  @Test
  void treatsALeadingContinuationLineAsBody() {
    HeaderSection h = parse(" To: a@x\n\nbody\n");
    assertTrue(h.headers().isEmpty());
    assertEquals(0, h.bodyOffset());
  }

  @Test
  void endsTheHeaderAtABodyLineWithoutColonSuchAsFromMe() {
    HeaderSection h = parse("Subject: x\nFrom me\nTo: b@y\n");
    assertEquals(List.of("Subject"), names(h));
    assertFalse(h.hasSeparator());
    assertEquals("Subject: x\n".length(), h.bodyOffset());
    assertFalse(h.has("To"));
  }

  @Test
  void acceptsHeaderThenEndOfInputWithoutEmptyLine() {
    String in = "Subject: x\nTo: a@x";
    HeaderSection h = parse(in);
    assertEquals(List.of("x"), h.values("Subject"));
    assertEquals(List.of("a@x"), h.values("To"));
    assertEquals(in.length(), h.bodyOffset());
    assertArrayEquals(in.getBytes(ISO_8859_1), h.toBytes(List.of(), List.of()));
  }

  @Test
  void acceptsEmptyInput() {
    HeaderSection h = parse("");
    assertTrue(h.headers().isEmpty());
    assertEquals(0, h.toBytes(List.of(), List.of()).length);
  }

  @Test
  void exposesAndSkipsALeadingMboxFromLine() {
    HeaderSection h = parse("From alice Wed Nov 25 02:51:14 2026\nSubject: x\n\nbody\n");
    assertEquals(Optional.of("From alice Wed Nov 25 02:51:14 2026"), h.envelopeFromLine());
    assertEquals(List.of("Subject"), names(h));
    assertEquals("Subject: x\n\nbody\n", new String(h.toBytes(List.of(), List.of()), UTF_8));
  }

  @Test
  void doesNotTakeAFromHeaderForAnEnvelopeLine() {
    HeaderSection h = parse("From: a@x\n\n");
    assertEquals(Optional.empty(), h.envelopeFromLine());
    assertEquals(List.of("a@x"), h.values("from"));
  }

  @Test
  void allowsWhiteSpaceBeforeTheColon() {
    HeaderSection h = parse("Subject  : x\n\n");
    assertEquals(List.of("Subject"), names(h));
    assertEquals(List.of("x"), h.values("SUBJECT"));
  }

  @Test
  void survivesEightBitGarbageInASubject() {
    byte[] in = {
      'S',
      'u',
      'b',
      ':',
      ' ',
      (byte) 0xff,
      (byte) 0xfe,
      (byte) 0xc3,
      '\n',
      'T',
      'o',
      ':',
      ' ',
      'a',
      '@',
      'x',
      '\n',
      '\n',
      'b'
    };
    HeaderSection h = HeaderSection.parse(in);
    assertEquals("\u00ff\u00fe\u00c3", h.headers().get(0).value());
    assertEquals(List.of("a@x"), h.values("To"));
    assertArrayEquals(in, h.toBytes(List.of(), List.of()));
  }

  @Test
  void decodesValidUtf8Values() {
    HeaderSection h = HeaderSection.parse("Subject: Grüße ☃\n\n".getBytes(UTF_8));
    assertEquals("Grüße ☃", h.values("Subject").get(0));
  }

  @Test
  void keepsCarriageReturnsInRawBytesAndDropsThemFromLineEndsInValues() {
    String in = "Subject: a\rb\r\nTo: x@y\r\n\r\nbody\r\n";
    HeaderSection h = parse(in);
    assertEquals(List.of("a\rb"), h.values("Subject"));
    assertEquals(List.of("x@y"), h.values("To"));
    assertTrue(h.hasSeparator());
    assertArrayEquals(in.getBytes(ISO_8859_1), h.toBytes(List.of(), List.of()));
  }

  @Test
  void handlesAHundredKilobyteLine() {
    String big = "x".repeat(100_000);
    String in = "X-Big: " + big + "\nTo: a@x\n\n" + big + "\n";
    HeaderSection h = parse(in);
    assertEquals(big, h.values("X-Big").get(0));
    assertEquals(List.of("a@x"), h.values("To"));
    assertArrayEquals(in.getBytes(ISO_8859_1), h.toBytes(List.of(), List.of()));
  }

  static Stream<String> messages() {
    return Stream.of(
        "Subject: x\n\nbody\n",
        "To: a@x,\n b@y\nCc: c@z\n\n\n\nbody with\n\nblank lines",
        "Subject: no body\n",
        "Subject: no body, no newline",
        "Subject: x\n\n",
        "just a body\n",
        "Subject: x\nnot a header\nmore\n",
        "X-A: 1\nX-A: 2\nx-a: 3\n\nb\n",
        "Subject: trailing space   \n\t\n\nb\n");
  }

  @ParameterizedTest
  @MethodSource("messages")
  void reEmitsTheInputByteForByteWhenNothingChanges(String in) {
    assertArrayEquals(in.getBytes(ISO_8859_1), parse(in).toBytes(List.of(), List.of()));
  }

  @Test
  void dropsBccAndResentBccWithTheirContinuationLinesAndKeepsTheRest() {
    String in =
        "From: me@x\nBcc: a@x,\n  b@y\nTo: t@x\nresent-bcc: r@x\n\tmore@x\nSubject: s\n"
            + "\nBcc: body\n";
    byte[] out = parse(in).toBytes(List.of(), List.of("Bcc", "Resent-Bcc"));
    assertEquals("From: me@x\nTo: t@x\nSubject: s\n\nBcc: body\n", new String(out, UTF_8));
  }

  @Test
  void prependsNewHeadersBeforeTheKeptOnes() {
    HeaderSection h = parse("Subject: s\nReturn-Path: <x@y>\n\nbody\n");
    byte[] out =
        h.toBytes(
            List.of(Header.of("Received", "by host"), Header.of("Date", "today")),
            List.of("return-path"));
    assertEquals("Received: by host\nDate: today\nSubject: s\n\nbody\n", new String(out, UTF_8));
  }

  @Test
  void insertsTheSeparatorWhenHeadersAreAddedToABodyOnlyMessage() {
    HeaderSection h = parse("hello\n");
    byte[] out = h.toBytes(List.of(Header.of("Date", "today")), List.of());
    assertEquals("Date: today\n\nhello\n", new String(out, UTF_8));
  }

  @Test
  void insertsTheSeparatorBeforeABodyLineThatEndedTheHeaders() {
    HeaderSection h = parse("Subject: s\nBcc: b@x\nFrom me\n");
    assertEquals(
        "Subject: s\n\nFrom me\n", new String(h.toBytes(List.of(), List.of("Bcc")), UTF_8));
    // Without any change the body line still follows directly (byte-exact contract).
    assertEquals(
        "Subject: s\nBcc: b@x\nFrom me\n",
        new String(h.toBytes(List.of(), List.of("X-Absent")), UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"To", "TO", "to", "tO"})
  void matchesHeaderNamesWithoutRegardToCase(String name) {
    HeaderSection h = parse("To: a@x\n\n");
    assertTrue(h.has(name));
    assertEquals(List.of("a@x"), h.values(name));
  }

  @Test
  void detectsResentHeaders() {
    assertTrue(parse("RESENT-DATE: x\n\n").hasNameStartingWith("Resent-"));
    assertFalse(parse("To: x\n\n").hasNameStartingWith("Resent-"));
  }
}
