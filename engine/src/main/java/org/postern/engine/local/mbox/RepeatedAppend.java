package org.postern.engine.local.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Recognises a delivery the mailbox already holds: an append made durable by an attempt that a
 * crash stopped before the queue recorded it, now repeated. Such an entry starts with the same
 * From_ line sender and prepended headers, and its header block names the same queue id in our
 * Received header ("id QUEUEID"); the check looks at the last {@link #WINDOW} bytes only.
 *
 * <p>Trusts nothing in the mailbox: it reads under the caller's locks, and anything an MUA
 * changed only makes a match less likely, so a miss delivers again as at-least-once delivery
 * does anyway. A message without a queue id (dead.letter) is never a repeat. Stateless.
 */
final class RepeatedAppend {
  /** How far back a repeat is looked for: hundreds of ordinary messages, one read. */
  static final int WINDOW = 256 * 1024;
  /** How much of an entry's header block is searched for the queue id. */
  private static final int HEADER_SPAN = 8 * 1024;

  private RepeatedAppend() {}

  /** Whether the mailbox, {@code size} bytes long, already ends with {@code m} nearby. */
  static boolean alreadyIn(FileChannel mailbox, long size, MboxMessage m) throws IOException {
    if (m.queueId().isEmpty() || m.prependedHeaders().isEmpty() || size == 0) {
      return false;
    }
    byte[] tail = readTail(mailbox, size);
    boolean whole = tail.length == size;
    byte[] headers = ("\n" + String.join("\n", m.prependedHeaders()) + "\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] from = ("From " + FromLine.envelopeName(m.sender()) + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] id = m.queueId().get().getBytes(StandardCharsets.US_ASCII);
    for (int at = lastIndexOf(tail, headers, tail.length); at >= 0;
        at = lastIndexOf(tail, headers, at - 1)) {
      if (startsLineWith(tail, at, from, whole) && namesQueueId(tail, at + headers.length, id)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] readTail(FileChannel mailbox, long size) throws IOException {
    int length = (int) Math.min(size, WINDOW);
    ByteBuffer buffer = ByteBuffer.allocate(length);
    long position = size - length;
    while (buffer.hasRemaining()) {
      if (mailbox.read(buffer, position + buffer.position()) < 0) {
        break;
      }
    }
    return buffer.array();
  }

  /**
   * Whether the line that ends at {@code lineEnd} (an LF) starts with {@code prefix}; a line
   * at the start of {@code b} counts only when {@code b} starts at the start of the file.
   */
  private static boolean startsLineWith(byte[] b, int lineEnd, byte[] prefix, boolean whole) {
    int start = lineEnd;
    while (start > 0 && b[start - 1] != '\n') {
      start--;
    }
    if (start == 0 && !whole || lineEnd - start < prefix.length) {
      return false; // cut off by the window, or too short
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[start + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the header block from {@code from} names "id QUEUEID" as a whole word. */
  private static boolean namesQueueId(byte[] b, int from, byte[] id) {
    int end = Math.min(b.length, from + HEADER_SPAN);
    for (int i = from; i < end; i++) {
      if (b[i] == '\n' && i > from && b[i - 1] == '\n') {
        return false; // the end of the header block
      }
      if (i >= from + 3 && b[i - 3] == 'i' && b[i - 2] == 'd' && b[i - 1] == ' '
          && regionEquals(b, i, id)
          && (i + id.length == b.length || !isIdChar(b[i + id.length]))
          && (i - 4 < 0 || b[i - 4] == ' ' || b[i - 4] == '\t' || b[i - 4] == '\n')) {
        return true;
      }
    }
    return false;
  }

  private static boolean regionEquals(byte[] b, int at, byte[] what) {
    if (at + what.length > b.length) {
      return false;
    }
    for (int i = 0; i < what.length; i++) {
      if (b[at + i] != what[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdChar(byte c) {
    return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z';
  }

  /** The last index not after {@code before} where {@code what} starts in {@code b}, or -1. */
  private static int lastIndexOf(byte[] b, byte[] what, int before) {
    for (int at = Math.min(before, b.length - what.length); at >= 0; at--) {
      if (regionEquals(b, at, what)) {
        return at;
      }
    }
    return -1;
  }
}
