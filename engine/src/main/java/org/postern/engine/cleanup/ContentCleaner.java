package org.postern.engine.cleanup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.TempFailException;

/**
 * Cleans one message's content on its way into the queue file: the header section is held
 * (at most header_size_limit bytes), completed by {@link HeaderCompleter} and rewritten by
 * {@link HeaderSection} (Bcc, Resent-Bcc, Content-Length, Return-Path dropped; for a local
 * submission, header addresses qualified and mapped by {@link AddressRewriter}), then the body
 * passes through unchanged, so memory does not grow with the message. The output is byte for
 * byte that of cleaning the whole content at once whenever the header section (up to its
 * first empty line) fits the bound; past the bound, what follows the last whole line held is
 * body (Postfix's cleanup does not parse beyond header_size_limit either).
 *
 * <p>Trusts nothing in the content. Write errors of the stream below propagate, and so does a
 * table that cannot be read while headers are rewritten (as an IOException); it is never
 * closed here. One per message; not thread-safe.
 */
public final class ContentCleaner extends OutputStream {
  /** message_drop_headers of Postfix's cleanup(8). */
  private static final List<String> DROPPED =
      List.of("Bcc", "Resent-Bcc", "Content-Length", "Return-Path");

  private final OutputStream out;
  private final HeaderCompleter.Facts facts;
  private final boolean keepTrace;
  private final Optional<AddressRewriter> rewriter;
  private final int limit;
  /** The header section held so far; empty once it has been written. */
  private Optional<ByteArrayOutputStream> held = Optional.of(new ByteArrayOutputStream(4096));
  private int lineLength;
  private boolean lineIsCr;
  private Optional<String> messageId = Optional.empty();

  /**
   * {@code keepTrace}: smtpd's Received header, if first, stays above what is added;
   * {@code rewriter}: the header address rewriting this message gets, if any.
   */
  ContentCleaner(OutputStream out, HeaderCompleter.Facts facts, boolean keepTrace,
      Optional<AddressRewriter> rewriter, int limit) {
    this.out = out;
    this.facts = facts;
    this.keepTrace = keepTrace;
    this.rewriter = rewriter;
    this.limit = limit;
  }

  @Override
  public void write(int b) throws IOException {
    if (held.isPresent()) {
      hold(held.get(), (byte) b);
    } else {
      out.write(b);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    int i = off;
    while (i < end && held.isPresent()) {
      hold(held.get(), b[i++]);
    }
    if (i < end) {
      out.write(b, i, end - i);
    }
  }

  /** Ends the content: a header section still held (no body followed) is written now. */
  public void finish() throws IOException {
    if (held.isPresent()) {
      byte[] all = held.get().toByteArray();
      writeHeaderSection(all, all.length);
    }
  }

  /** The Message-ID the message carries (or was given), once its header section is written. */
  public Optional<String> messageId() {
    return messageId;
  }

  private void hold(ByteArrayOutputStream header, byte b) throws IOException {
    header.write(b);
    if (b == '\n') {
      // RFC 5322 §2.1: an empty line (or a lone CR, as HeaderSection takes it) ends the section.
      boolean empty = lineLength == 0 || lineLength == 1 && lineIsCr;
      lineLength = 0;
      if (empty) {
        byte[] all = header.toByteArray();
        writeHeaderSection(all, all.length);
      }
      return;
    }
    lineIsCr = lineLength == 0 && b == '\r';
    lineLength++;
    if (header.size() > limit) {
      byte[] all = header.toByteArray();
      int cut = lastLineEnd(all);
      writeHeaderSection(all, cut > 0 ? cut : all.length);
    }
  }

  /** Parses and writes {@code bytes[0..cut)} as the header section, the rest as body. */
  private void writeHeaderSection(byte[] bytes, int cut) throws IOException {
    held = Optional.empty();
    HeaderSection parsed =
        HeaderSection.parse(cut == bytes.length ? bytes : Arrays.copyOf(bytes, cut));
    HeaderSection section = rewriter.isPresent() ? rewritten(parsed, rewriter.get()) : parsed;
    List<Header> added = HeaderCompleter.complete(section, facts);
    // RFC 5321 §4.4: smtpd's trace header stays on top, above what cleanup adds.
    int leading = keepTrace && !section.headers().isEmpty()
        && section.headers().get(0).is("Received") ? 1 : 0;
    section.writeTo(out, leading, added, DROPPED);
    out.write(bytes, cut, bytes.length - cut);
    List<String> ids = section.values("Message-ID");
    messageId = Optional.of(ids.isEmpty() ? HeaderCompleter.messageId(facts) : ids.get(0).strip());
  }

  /** {@code parsed} with its address headers rewritten; a table failure is an IOException. */
  private static HeaderSection rewritten(HeaderSection parsed, AddressRewriter rewriter)
      throws IOException {
    try {
      return rewriter.rewrite(parsed);
    } catch (TempFailException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static int lastLineEnd(byte[] b) {
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }
}
