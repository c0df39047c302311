package org.postern.engine.smtp;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The byte stream under one client connection: a TCP socket (SMTP, LMTP over inet, TLS after
 * STARTTLS) or a UNIX-domain socket (LMTP to a local store). {@link SmtpConnection} speaks the
 * protocol over either.
 *
 * <p>Trusts nothing it carries. Owns the socket. Used by one thread at a time, but
 * {@link #close()} may come from a timer thread to end a blocked call.
 */
interface Link extends Closeable {
  InputStream input() throws IOException;

  OutputStream output() throws IOException;

  /** Bounds each read that follows: it fails (SocketTimeoutException) after {@code millis}. */
  void readTimeout(long millis) throws IOException;

  /** The TCP socket, for STARTTLS; a UNIX-domain link has none (no TLS over it). */
  Socket socket();

  /** A link over a connected TCP socket. */
  static Link of(Socket socket) {
    return new TcpLink(socket);
  }
}
