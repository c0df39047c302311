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
  /** How far back a repeat is looked for: the last few entries, where a retry finds it. */
  static final int WINDOW = 64 * 1024;
  /** How much of an entry's header block is searched for the queue id. */
  private static final int HEADER_SPAN = 8 * 1024;
  private static final byte[] FROM_ = {'F', 'r', 'o', 'm', ' '};

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
    byte[] id = ("id " + m.queueId().get()).getBytes(StandardCharsets.US_ASCII);
    // Anchored on the queue id, which stands in one entry at most: one cheap pass.
    for (int at = lastIndexOf(tail, id, tail.length); at >= 0;
        at = lastIndexOf(tail, id, at - 1)) {
      if (isWord(tail, at, id.length) && entryHolds(tail, at, whole, from, headers)) {
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

  /** Whether "id QUEUEID" at {@code at} is whole: white space before, no id character after. */
  private static boolean isWord(byte[] b, int at, int length) {
    int after = at + length;
    return (at == 0 || b[at - 1] == ' ' || b[at - 1] == '\t' || b[at - 1] == '\n')
        && (after == b.length || !isIdChar(b[after]));
  }

  /**
   * Whether {@code idAt} lies in the header block of an entry whose From_ line starts with
   * {@code from} and is followed by {@code headers} (an entry cut by the window is no match).
   */
  private static boolean entryHolds(byte[] b, int idAt, boolean whole, byte[] from,
      byte[] headers) {
    int line = idAt;
    while (idAt - line <= HEADER_SPAN) {
      while (line > 0 && b[line - 1] != '\n') {
        line--;
      }
      if (line == 0 && !whole) {
        return false; // cut off by the window
      }
      if (regionEquals(b, line, FROM_)) {
        int end = line;
        while (end < b.length && b[end] != '\n') {
          end++;
        }
        return regionEquals(b, line, from) && regionEquals(b, end, headers);
      }
      if (line == 0 || line >= 2 && b[line - 2] == '\n') {
        return false; // the start of the mailbox, or after a blank line: not a header block
      }
      line--; // onto the LF that ends the line before
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
    byte first = what[0];
    for (int at = Math.min(before, b.length - what.length); at >= 0; at--) {
      if (b[at] == first && regionEquals(b, at, what)) {
        return at;
      }
    }
    return -1;
  }

}
