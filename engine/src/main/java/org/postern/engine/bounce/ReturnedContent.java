package org.postern.engine.bounce;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The part of a queued message that a notification may carry back: at most the bounce size limit of
 * it is read, never the whole of a large message, and its header section is found.
 *
 * <p>Trusts the content to be LF-terminated lines (the queue's form) and checks nothing else about
 * it; {@link #transfer} says whether bytes can travel as a MIME 7bit or 8bit body at all (RFC 2045
 * §2.7, §2.8: no NUL, no CR, lines of at most 998 octets). Read failures are the caller's to treat
 * as temporary. Immutable after {@link #read}.
 */
final class ReturnedContent {
  /** How a body can be declared (RFC 2045 §6.2), or that it cannot be sent as text at all. */
  enum Transfer {
    SEVEN_BIT,
    EIGHT_BIT,
    UNSAFE
  }

  private static final int MAX_LINE = 998;

  private final byte[] head;
  private final boolean complete;
  private final int limit;

  private ReturnedContent(byte[] head, boolean complete, int limit) {
    this.head = head;
    this.complete = complete;
    this.limit = limit;
  }

  /** Reads at most {@code limit + 1} bytes of {@code in}, enough to know if it all fits. */
  static ReturnedContent read(InputStream in, int limit) throws IOException {
    byte[] b = in.readNBytes(limit + 1);
    return new ReturnedContent(b, b.length <= limit, limit);
  }

  /** Whether the whole message is at most the limit, so {@link #whole} is all of it. */
  boolean isComplete() {
    return complete;
  }

  /** The whole message; only when {@link #isComplete}. */
  byte[] whole() {
    if (!complete) {
      throw new IllegalStateException("message larger than the bounce size limit");
    }
    return head.clone();
  }

  /**
   * The header section without the empty line that ends it. A header section longer than the limit
   * is cut after its last whole line within the limit, as Postfix caps it.
   */
  byte[] headers() {
    int end = Math.min(head.length, limit);
    for (int i = 0; i < end; i++) {
      // The header section ends at the first empty line (RFC 5322 §2.1).
      if (head[i] == '\n' && (i == 0 || head[i - 1] == '\n')) {
        return Arrays.copyOf(head, i == 0 ? 0 : i);
      }
    }
    if (complete) {
      return head.clone();
    }
    int lastLf = end - 1;
    while (lastLf >= 0 && head[lastLf] != '\n') {
      lastLf--;
    }
    return Arrays.copyOf(head, lastLf + 1);
  }

  /** How {@code body} may be declared, or {@link Transfer#UNSAFE} if it must not be sent. */
  static Transfer transfer(byte[] body) {
    boolean eightBit = false;
    int lineLength = 0;
    for (byte c : body) {
      if (c == 0 || c == '\r') {
        return Transfer.UNSAFE;
      }
      if (c == '\n') {
        lineLength = 0;
        continue;
      }
      if (++lineLength > MAX_LINE) {
        return Transfer.UNSAFE;
      }
      eightBit |= c < 0;
    }
    return eightBit ? Transfer.EIGHT_BIT : Transfer.SEVEN_BIT;
  }
}
