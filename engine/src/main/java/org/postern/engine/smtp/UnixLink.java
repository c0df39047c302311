package org.postern.engine.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Link} over a connected UNIX-domain SocketChannel (LMTP to a local store such as
 * Dovecot's {@code private/dovecot-lmtp}). The JDK gives such a channel no read timeout, so
 * each read runs under a deadline on the shared timer that closes the channel; the read then
 * fails and is reported as timed out.
 *
 * <p>Owns the channel. Used by one thread at a time; the timer only closes it.
 */
final class UnixLink implements Link {
  private final SocketChannel channel;
  private final ScheduledExecutorService timer;
  private volatile long readMillis = Long.MAX_VALUE;
  private volatile boolean expired;

  UnixLink(SocketChannel channel, ScheduledExecutorService timer) {
    this.channel = channel;
    this.timer = timer;
  }

  @Override
  public InputStream input() {
    InputStream raw = Channels.newInputStream(channel);
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> deadline =
            timer.schedule(UnixLink.this::expire, readMillis, TimeUnit.MILLISECONDS);
        try {
          return raw.read(b, off, len);
        } catch (IOException e) {
          throw expired ? new SocketTimeoutException("Read timed out") : e;
        } finally {
          deadline.cancel(false);
        }
      }
    };
  }

  @Override
  public OutputStream output() {
    return Channels.newOutputStream(channel);
  }

  @Override
  public void readTimeout(long millis) {
    readMillis = millis;
  }

  @Override
  public Socket socket() {
    throw new IllegalStateException("no TLS over a UNIX-domain socket");
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void expire() {
    expired = true;
    try {
      channel.close();
    } catch (IOException e) {
      // Closing is how the timeout is signalled; the blocked read fails either way.
    }
  }
}
