package org.postern.engine.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A tiny SMTP server for tests: each accepted connection runs the next scripted conversation
 * (a lambda reading and answering lines), so a test can inject any reply, delay or disconnect.
 * Records what every conversation received; a script's failed expectation is kept and
 * rethrown by {@link #close()}. Loopback only; one thread per server.
 */
final class ScriptedServer implements AutoCloseable {
  /** One connection's side of the dialogue. */
  @FunctionalInterface
  interface Conversation {
    void run(Peer peer) throws Exception;
  }

  private final ServerSocket listener;
  private final BlockingQueue<Conversation> scripts = new LinkedBlockingQueue<>();
  private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());
  private final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile int connections;

  ScriptedServer(Conversation... conversations) throws IOException {
    listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    scripts.addAll(List.of(conversations));
    thread = new Thread(this::serve, "scripted-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  Endpoint endpoint() {
    return new Endpoint("localhost",
        new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Every line received, on every connection, in order. */
  List<String> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The raw DATA bytes of each message received (up to, not including, CRLF.CRLF). */
  List<byte[]> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  int connections() {
    return connections;
  }

  private void serve() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        connections++;
        Conversation c = scripts.poll();
        if (c == null) {
          throw new AssertionError("unexpected connection " + connections);
        }
        c.run(new Peer(s));
      } catch (IOException e) {
        if (!listener.isClosed()) {
          failures.add(e);
        }
      } catch (Exception | AssertionError e) {
        failures.add(e);
      }
    }
  }

  @Override
  public void close() throws Exception {
    listener.close();
    thread.join(5000);
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("server script failed: " + failures.get(0));
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  /** The server end of one connection. */
  final class Peer {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Peer(Socket socket) throws IOException {
      attach(socket);
    }

    private void attach(Socket s) throws IOException {
      socket = s;
      s.setSoTimeout(5000);
      in = new BufferedInputStream(s.getInputStream());
      out = s.getOutputStream();
    }

    /** Sends reply lines, each with CRLF. */
    void send(String... lines) throws IOException {
      StringBuilder b = new StringBuilder();
      for (String l : lines) {
        b.append(l).append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** Reads one CRLF-terminated line; a bare LF fails the script. */
    String read() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new IOException("client closed the connection");
        }
        b.write(c);
      }
      String line = b.toString(StandardCharsets.UTF_8);
      if (!line.endsWith("\r")) {
        throw new AssertionError("line without CRLF: " + line);
      }
      line = line.substring(0, line.length() - 1);
      received.add(line);
      return line;
    }

    /** Reads a line and checks that it starts with {@code prefix}. */
    String expect(String prefix) throws IOException {
      String line = read();
      if (!line.startsWith(prefix)) {
        throw new AssertionError("expected " + prefix + " but got " + line);
      }
      return line;
    }

    /** Reads the DATA content up to CRLF.CRLF and keeps its raw bytes (CRLF kept). */
    byte[] readData() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      long window = 0x0D0AL; // as if a line had just ended: a lone "." ends an empty message
      for (int c; (c = in.read()) >= 0; ) {
        b.write(c);
        window = (window << 8 | c) & 0xFFFFFFFFFFL;
        if (window == 0x0D0A2E0D0AL) {
          byte[] msg = Arrays.copyOf(b.toByteArray(), Math.max(0, b.size() - 3));
          messages.add(msg);
          received.add(".");
          return msg;
        }
      }
      throw new IOException("client closed the connection during DATA");
    }

    /** Waits for the client's QUIT (or the connection's end). */
    void expectQuit() throws IOException {
      expect("QUIT");
    }

    /** The server side of STARTTLS: the handshake with this context's certificate. */
    void startTls(SSLContext context) throws IOException {
      SSLSocket tls = (SSLSocket) context.getSocketFactory()
          .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
      tls.setUseClientMode(false);
      tls.startHandshake();
      attach(tls);
    }

    /** Reads until the client goes away. */
    void drainUntilClosed() throws IOException {
      try {
        while (in.read() >= 0) {
          // discard
        }
      } catch (IOException e) {
        // A reset is as good as a close here.
      }
    }

    void sleep(long millis) throws InterruptedException {
      Thread.sleep(millis);
    }

    /** Drops the connection without a word. */
    void hangUp() throws IOException {
      socket.close();
    }
  }
}
