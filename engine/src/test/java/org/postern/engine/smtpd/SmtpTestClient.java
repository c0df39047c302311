package org.postern.engine.smtpd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A plain SMTP client for listener tests: sends lines, reads replies (multi-line ones
 * whole), and turns the connection into TLS after STARTTLS like a real client would.
 */
final class SmtpTestClient implements AutoCloseable {
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  SmtpTestClient(InetSocketAddress at) throws IOException {
    socket = new Socket(at.getAddress(), at.getPort());
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends {@code text} as it is, in one write. */
  void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Sends one command and returns its reply's lines. */
  List<String> command(String line) throws IOException {
    write(line + "\r\n");
    return reply();
  }

  /** One reply: every line up to the one with a space after the code. */
  List<String> reply() throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    do {
      line = line();
      if (line == null) {
        throw new IOException("connection closed after " + lines);
      }
      lines.add(line);
    } while (line.length() > 3 && line.charAt(3) == '-');
    return lines;
  }

  /** One line without CRLF; null at the end of input. */
  String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
  }

  /**
   * The client side of the handshake over this connection, offering only {@code protocols}
   * if any are given; the TLS socket.
   */
  SSLSocket startTls(SSLSocketFactory factory, String... protocols) throws IOException {
    SSLSocket tls = (SSLSocket) factory.createSocket(socket, "localhost", socket.getPort(),
        true);
    tls.setUseClientMode(true);
    if (protocols.length > 0) {
      tls.setEnabledProtocols(protocols);
    }
    tls.startHandshake();
    socket = tls;
    in = tls.getInputStream();
    out = tls.getOutputStream();
    return tls;
  }

  /** A whole message: MAIL, RCPT, DATA; the final reply. */
  String send(String from, String to, String content) throws IOException {
    expect("250", command("MAIL FROM:<" + from + ">"));
    expect("250", command("RCPT TO:<" + to + ">"));
    expect("354", command("DATA"));
    write(content.replace("\n", "\r\n") + ".\r\n");
    return reply().get(0);
  }

  private static void expect(String code, List<String> reply) throws IOException {
    if (!reply.get(reply.size() - 1).startsWith(code)) {
      throw new IOException("expected " + code + ", got " + reply);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
