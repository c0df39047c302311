package org.postern.engine.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a range of an open file by positional reads (pread), so several readers of one
 * open queue file never move each other's position and nobody re-opens it by name.
 *
 * <p>Trusts the range it is given (a validated queue file's). Closing the stream closes the
 * channel only when it was told it owns it. One reader; not thread-safe.
 */
final class ChannelRange extends InputStream {
  private final FileChannel channel;
  private final boolean ownsChannel;
  private long position;
  private long left;
  private final byte[] one = new byte[1];

  ChannelRange(FileChannel channel, long offset, long length, boolean ownsChannel) {
    this.channel = channel;
    this.position = offset;
    this.left = length;
    this.ownsChannel = ownsChannel;
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left <= 0) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
    if (n < 0) {
      left = 0; // the file is shorter than validated: the reader sees a short content
      return -1;
    }
    position += n;
    left -= n;
    return n;
  }

  @Override
  public void close() throws IOException {
    if (ownsChannel) {
      channel.close();
    }
  }
}
