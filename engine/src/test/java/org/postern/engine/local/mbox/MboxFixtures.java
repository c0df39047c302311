package org.postern.engine.local.mbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.postern.engine.global.MailLog;

/** Shared pieces of the mbox tests: a fixed clock, messages, a captured log. */
final class MboxFixtures {
  /** The spec's example instant: From_ lines read "Wed Nov 25 02:51:14 2026". */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T02:51:14Z"), ZoneOffset.UTC);

  static final String FROM_LINE = "From alice@example.org  Wed Nov 25 02:51:14 2026\n";

  static final List<String> HEADERS =
      List.of(
          "Return-Path: <alice@example.org>",
          "X-Original-To: bob@host",
          "Delivered-To: bob@host");

  static final String PREPENDED =
      "Return-Path: <alice@example.org>\nX-Original-To: bob@host\nDelivered-To: bob@host\n";

  private MboxFixtures() {}

  static MboxSettings fastSettings() {
    return new MboxSettings(
        5, Duration.ofMillis(20), Duration.ofSeconds(500), 0, true, FromStyle.POSTFIX);
  }

  static MboxMessage message(byte[] content) {
    return new MboxMessage("alice@example.org", HEADERS, () -> new ByteArrayInputStream(content));
  }

  static MboxMessage message(String content) {
    return message(content.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }

  /** A log whose lines can be inspected. */
  static final class CapturedLog {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final MailLog log = MailLog.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), "local");

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Hands out at most {@code chunk} bytes per read, to move buffer boundaries around. */
  static final class TricklingStream extends FilterInputStream {
    private final int chunk;

    TricklingStream(InputStream in, int chunk) {
      super(in);
      this.chunk = chunk;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, chunk));
    }
  }

  /** Delivers {@code good} bytes, then fails as a broken queue file or disk would. */
  static final class FailingStream extends InputStream {
    private long left;

    FailingStream(long good) {
      this.left = good;
    }

    @Override
    public int read() throws IOException {
      if (left-- <= 0) {
        throw new IOException("Input/output error");
      }
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("Input/output error");
      }
      int n = (int) Math.min(len, left);
      Arrays.fill(b, off, off + n, (byte) 'y');
      left -= n;
      return n;
    }
  }
}
