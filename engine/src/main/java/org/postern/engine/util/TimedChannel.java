package org.postern.engine.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A blocking UNIX-domain socket as streams whose every read and write has a timeout (see
 * {@link Watchdog}); a timeout closes the channel, so the call fails and the peer sees EOF.
 *
 * <p>Trusts nothing from the peer (that is the protocol's job). The timeout may be changed
 * between calls (short for the header, long while a user types a message). Owns the channel
 * and closes it with {@link #close}. One thread at a time.
 */
public final class TimedChannel implements AutoCloseable {
  private final SocketChannel channel;
  private final Watchdog watchdog;
  private Duration timeout;

  public TimedChannel(SocketChannel channel, Watchdog watchdog, Duration timeout) {
    this.channel = channel;
    this.watchdog = watchdog;
    this.timeout = timeout;
  }

  public SocketChannel channel() {
    return channel;
  }

  public void timeout(Duration timeout) {
    this.timeout = timeout;
  }

  public InputStream input() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        try (Watchdog.Guard g = watchdog.arm(channel, timeout)) {
          return channel.read(ByteBuffer.wrap(b, off, len));
        }
      }
    };
  }

  public OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        try (Watchdog.Guard g = watchdog.arm(channel, timeout)) {
          while (buf.hasRemaining()) {
            channel.write(buf);
          }
        }
      }
    };
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
