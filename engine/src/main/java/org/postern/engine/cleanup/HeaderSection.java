package org.postern.engine.cleanup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The header section at the start of a message held in memory with LF line ends, split into {@link
 * Header}s without losing a byte, and re-emitted with headers dropped or prepended.
 *
 * <p>Trusts nothing in the content: 8-bit bytes, stray CRs and overlong lines are kept as they are
 * and never make parsing fail. As Postfix cleanup does, the header section ends at the first empty
 * line or at the first line that is neither a header nor a continuation; such a line starts the
 * body. A leading mbox {@code From } line (which scripts feed to sendmail) is recognised and
 * exposed so the caller can drop it; it is never re-emitted. Pure: no I/O besides writing to a
 * caller's stream. Immutable, thread-safe; the content array is shared with the caller and must not
 * be modified afterwards.
 */
public final class HeaderSection {
  private static final byte LF = '\n';
  private static final byte CR = '\r';

  private final byte[] content;
  private final Optional<String> envelopeFromLine;
  private final List<Header> headers;
  private final int separatorOffset;
  private final int bodyOffset;

  private HeaderSection(
      byte[] content,
      Optional<String> envelopeFromLine,
      List<Header> headers,
      int separatorOffset,
      int bodyOffset) {
    this.content = content;
    this.envelopeFromLine = envelopeFromLine;
    this.headers = List.copyOf(headers);
    this.separatorOffset = separatorOffset;
    this.bodyOffset = bodyOffset;
  }

  /** Splits {@code content} (LF line ends, CRLF already converted) into headers and body. */
  public static HeaderSection parse(byte[] content) {
    int len = content.length;
    int pos = 0;

    // sendmail and Postfix both discard a leading "From " line (mbox envelope) from the input.
    Optional<String> fromLine = Optional.empty();
    if (startsWith(content, "From ")) {
      int end = lineEnd(content, 0);
      fromLine = Optional.of(decode(content, 0, stripCr(content, 0, end)));
      pos = Math.min(end + 1, len);
    }

    List<Header> headers = new ArrayList<>();
    while (pos < len) {
      int end = lineEnd(content, pos);
      // RFC 5322 §2.1: an empty line ends the header section. A lone CR counts as empty, so
      // that "\r\r\n" input (one CR left after CRLF conversion) is not taken for body text.
      if (end == pos || (end == pos + 1 && content[pos] == CR)) {
        return new HeaderSection(content, fromLine, headers, pos, Math.min(end + 1, len));
      }
      int colon = fieldNameEnd(content, pos, end);
      if (colon < 0) {
        // Not a header: the header section ends here and this line is the first body line.
        break;
      }
      // RFC 5322 §2.2.3: lines starting with SP or HT continue the field (folding).
      int next = Math.min(end + 1, len);
      while (next < len && (content[next] == ' ' || content[next] == '\t')) {
        next = Math.min(lineEnd(content, next) + 1, len);
      }
      headers.add(header(content, pos, colon, next));
      pos = next;
    }
    return new HeaderSection(content, fromLine, headers, pos, pos);
  }

  /** The leading mbox {@code From sender date} line without its line end, if there was one. */
  public Optional<String> envelopeFromLine() {
    return envelopeFromLine;
  }

  /** The headers in their original order. */
  public List<Header> headers() {
    return headers;
  }

  /** Offset in the content of the first body byte (after the empty separator line, if any). */
  public int bodyOffset() {
    return bodyOffset;
  }

  /** Whether an empty line ended the header section (as opposed to a body line or the end). */
  public boolean hasSeparator() {
    return bodyOffset > separatorOffset;
  }

  /** Whether a header of this name is present, compared without regard to case. */
  public boolean has(String name) {
    for (Header h : headers) {
      if (h.is(name)) {
        return true;
      }
    }
    return false;
  }

  /** The unfolded values of every header of this name, in order. */
  public List<String> values(String name) {
    List<String> out = new ArrayList<>();
    for (Header h : headers) {
      if (h.is(name)) {
        out.add(h.value());
      }
    }
    return out;
  }

  /** Whether any header's name starts with {@code prefix}, without regard to case. */
  public boolean hasNameStartingWith(String prefix) {
    for (Header h : headers) {
      if (h.name().regionMatches(true, 0, prefix, 0, prefix.length())) {
        return true;
      }
    }
    return false;
  }

  /** This section with {@code replaced} (one for each header, in order) as its headers. */
  public HeaderSection withHeaders(List<Header> replaced) {
    if (replaced.size() != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " headers");
    }
    return new HeaderSection(content, envelopeFromLine, replaced, separatorOffset, bodyOffset);
  }

  /**
   * Writes {@code prepend}, then the original headers except those named in {@code drop} (with
   * their continuation lines), then the separator and the body unchanged. With nothing prepended or
   * dropped, the output is the input minus any envelope {@code From } line, byte for byte;
   * otherwise a missing empty line between headers and body is supplied.
   */
  public void writeTo(OutputStream out, List<Header> prepend, Collection<String> drop)
      throws IOException {
    writeTo(out, 0, prepend, drop);
  }

  /**
   * As {@link #writeTo(OutputStream, List, Collection)}, but the first {@code leading} original
   * headers (another server's trace header, which must stay on top) go before {@code insert}.
   */
  public void writeTo(OutputStream out, int leading, List<Header> insert, Collection<String> drop)
      throws IOException {
    boolean changed = !insert.isEmpty();
    boolean wroteHeader = false;
    for (int i = 0; i <= headers.size(); i++) {
      if (i == Math.min(leading, headers.size())) {
        for (Header h : insert) {
          h.writeTo(out);
          wroteHeader = true;
        }
      }
      if (i == headers.size()) {
        break;
      }
      Header h = headers.get(i);
      if (named(h, drop)) {
        changed = true;
      } else {
        h.writeTo(out);
        wroteHeader = true;
      }
    }
    if (hasSeparator()) {
      out.write(content, separatorOffset, bodyOffset - separatorOffset);
    } else if (changed && wroteHeader && bodyOffset < content.length) {
      // RFC 5322 §2.1: an empty line separates the header section from the body; the input
      // had none because its first body line was not a header. As Postfix cleanup does, a
      // rewritten message gets one; an untouched message is passed on as it came.
      out.write(LF);
    }
    out.write(content, bodyOffset, content.length - bodyOffset);
  }

  /** {@link #writeTo(OutputStream, List, Collection)} into a new array. */
  public byte[] toBytes(List<Header> prepend, Collection<String> drop) {
    return toBytes(0, prepend, drop);
  }

  /** {@link #writeTo(OutputStream, int, List, Collection)} into a new array. */
  public byte[] toBytes(int leading, List<Header> insert, Collection<String> drop) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
    try {
      writeTo(out, leading, insert, drop);
    } catch (IOException e) {
      throw new UncheckedIOException("ByteArrayOutputStream cannot fail", e);
    }
    return out.toByteArray();
  }

  private static boolean named(Header h, Collection<String> names) {
    for (String n : names) {
      if (h.is(n)) {
        return true;
      }
    }
    return false;
  }

  private static Header header(byte[] b, int start, int colon, int end) {
    int nameEnd = colon;
    // RFC 5322 §4.5 (obs-optional): white space may come between the name and the colon.
    while (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t') {
      nameEnd--;
    }
    String name = new String(b, start, nameEnd - start, StandardCharsets.US_ASCII);
    byte[] raw = new byte[end - start];
    System.arraycopy(b, start, raw, 0, raw.length);
    return new Header(name, unfold(b, colon + 1, end), raw);
  }

  /**
   * The field body with its line ends removed (RFC 5322 §2.2.3 unfolding: CRLF before WSP is
   * removed; a CR left before an LF goes with it) and leading and trailing WSP trimmed.
   */
  private static String unfold(byte[] b, int from, int to) {
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      if (b[i] == LF) {
        if (n > 0 && out[n - 1] == CR) {
          n--;
        }
        continue;
      }
      out[n++] = b[i];
    }
    int start = 0;
    while (start < n && isWsp(out[start])) {
      start++;
    }
    while (n > start && isWsp(out[n - 1])) {
      n--;
    }
    return decode(out, start, n);
  }

  /** UTF-8 when the bytes are valid UTF-8 (RFC 6532), else ISO-8859-1; never fails. */
  static String decode(byte[] b, int from, int to) {
    boolean ascii = true;
    for (int i = from; i < to && ascii; i++) {
      ascii = b[i] >= 0;
    }
    if (ascii) {
      return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }
    return new String(
        b,
        from,
        to - from,
        isUtf8(b, from, to) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
  }

  private static boolean isUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      int more;
      if (c < 0x80) {
        more = 0;
      } else if (c >= 0xc2 && c <= 0xdf) {
        more = 1;
      } else if (c >= 0xe0 && c <= 0xef) {
        more = 2;
      } else if (c >= 0xf0 && c <= 0xf4) {
        more = 3;
      } else {
        return false;
      }
      if (i + more >= to) {
        return false;
      }
      for (int k = 1; k <= more; k++) {
        if ((b[i + k] & 0xc0) != 0x80) {
          return false;
        }
      }
      i += more + 1;
    }
    return true;
  }

  /** End of the field name (the colon's offset) if the line starts a header, else -1. */
  private static int fieldNameEnd(byte[] b, int start, int end) {
    int i = start;
    // RFC 5322 §3.6.8: field-name = 1*ftext (printable US-ASCII except colon).
    while (i < end && b[i] >= 33 && b[i] <= 126 && b[i] != ':') {
      i++;
    }
    if (i == start) {
      return -1;
    }
    while (i < end && isWsp(b[i])) {
      i++;
    }
    return i < end && b[i] == ':' ? i : -1;
  }

  private static boolean isWsp(byte c) {
    return c == ' ' || c == '\t';
  }

  private static int lineEnd(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == LF) {
        return i;
      }
    }
    return b.length;
  }

  private static int stripCr(byte[] b, int from, int end) {
    return end > from && b[end - 1] == CR ? end - 1 : end;
  }

  private static boolean startsWith(byte[] b, String prefix) {
    if (b.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (b[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
