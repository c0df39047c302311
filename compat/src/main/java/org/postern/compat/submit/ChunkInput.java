package org.postern.compat.submit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The client's stdin as the server reads it: the ITEMs after SEND, ended by an empty one
 * (see {@link SubmitProtocol}), presented as one InputStream that ends where stdin ended.
 *
 * <p>Trusts nothing: every length is checked against {@link SubmitProtocol#MAX_CHUNK}, and a
 * short or malformed chunk is a ProtocolException (never a silent end of input, which would
 * queue a truncated message). Not thread-safe.
 */
final class ChunkInput extends InputStream {
  private final InputStream in;
  private int left;
  private boolean ended;
  private Optional<IOException> failure = Optional.empty();

  ChunkInput(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure.isPresent()) {
      throw failure.get(); // the stream is out of step with the client: never read on
    }
    if (len == 0) {
      return 0;
    }
    try {
      if (!nextChunk()) {
        return -1;
      }
      int n = in.read(b, off, Math.min(len, left));
      if (n < 0) {
        throw new SubmitProtocol.ProtocolException("connection closed inside a data chunk");
      }
      left -= n;
      return n;
    } catch (IOException e) {
      failure = Optional.of(e);
      throw e;
    }
  }

  /** The first read failure (a broken chunk, a lost connection, a timeout), if any. */
  Optional<IOException> failure() {
    return failure;
  }

  /** Reads and discards what the client still sends, up to the end marker. */
  void drain() throws IOException {
    byte[] skip = new byte[65536];
    while (read(skip, 0, skip.length) >= 0) {
      // discarded, as sendmail discards input after the end or over the size limit
    }
  }

  /** Whether data is available: opens the next chunk when the current one is used up. */
  private boolean nextChunk() throws IOException {
    if (left == 0 && !ended) {
      left = SubmitProtocol.readNumber(in, SubmitProtocol.MAX_CHUNK);
      ended = left == 0;
    }
    return !ended;
  }
}
