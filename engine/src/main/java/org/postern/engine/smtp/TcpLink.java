package org.postern.engine.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A {@link Link} over a TCP socket (plain, or the TLS socket layered on it): reads are bounded
 * by SO_TIMEOUT. Owns the socket; used by one thread at a time.
 */
final class TcpLink implements Link {
  private final Socket socket;

  TcpLink(Socket socket) {
    this.socket = socket;
  }

  @Override
  public InputStream input() throws IOException {
    return socket.getInputStream();
  }

  @Override
  public OutputStream output() throws IOException {
    return socket.getOutputStream();
  }

  @Override
  public void readTimeout(long millis) throws IOException {
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
  }

  @Override
  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
