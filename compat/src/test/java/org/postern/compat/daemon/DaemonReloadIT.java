package org.postern.compat.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.compat.admin.PosternCommand;

/**
 * {@code postern reload} against a running daemon in this JVM ({@link Daemon#reload} is what
 * SIGHUP calls): an SMTP session opened before the reload completes its message after it,
 * on the same listening socket, while a new connection sees the new main.cf.
 */
class DaemonReloadIT {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path tmp;
  private Path dir;
  private int port;
  private Daemon daemon;
  private Thread running;
  private final AtomicInteger exit = new AtomicInteger(-1);

  @BeforeEach
  void start() throws Exception {
    dir = tmp.resolve("inst");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int init = new PosternCommand(Map.of()).run(new ByteArrayInputStream(new byte[0]),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err),
        "init", dir.toString(), "--user", "alice");
    assertEquals(0, init, err.toString());
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      port = s.getLocalPort();
    }
    appendMainCf("smtpd_listen = 127.0.0.1:" + port + "\nsmtpd_peername_lookup = no\n");
    daemon = new Daemon(dir, Optional.empty());
    running = new Thread(() -> {
      try {
        exit.set(daemon.run(new PrintStream(new ByteArrayOutputStream())));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "test-daemon");
    running.start();
    awaitLog("daemon started", 1);
  }

  @AfterEach
  void stop() throws Exception {
    daemon.stop();
    running.join(10_000);
    assertFalse(running.isAlive(), "the daemon stopped");
    assertEquals(0, exit.get());
  }

  @Test
  void finishesASessionOpenedBeforeTheReloadAndShowsNewSettingsToNewOnes() throws Exception {
    try (Socket old = new Socket(LOOPBACK, port)) {
      old.setSoTimeout(5000);
      InputStream in = old.getInputStream();
      OutputStream out = old.getOutputStream();
      assertTrue(line(in).endsWith(" ESMTP Postern"));
      send(out, "HELO client.example.net");
      assertTrue(line(in).startsWith("250 "));
      send(out, "MAIL FROM:<bob@example.net>");
      assertEquals("250 2.1.0 Ok", line(in));
      send(out, "RCPT TO:<alice>");
      assertEquals("250 2.1.5 Ok", line(in));

      appendMainCf("smtpd_banner = reloaded ESMTP\n");
      daemon.reload();
      awaitLog("reload -- version", 1);

      try (Socket fresh = new Socket(LOOPBACK, port)) {
        fresh.setSoTimeout(5000);
        assertEquals("220 reloaded ESMTP", line(fresh.getInputStream()));
      }
      send(out, "DATA");
      assertEquals("354 End data with <CR><LF>.<CR><LF>", line(in));
      send(out, "Subject: across a reload\r\n\r\nstill here\r\n.");
      String queued = line(in);
      assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
      send(out, "QUIT");
      assertEquals("221 2.0.0 Bye", line(in));
    }
    awaitLog("status=sent", 1);
  }

  private void appendMainCf(String text) throws IOException {
    Files.writeString(dir.resolve("main.cf"), text, StandardOpenOption.APPEND);
  }

  /** Waits up to 5 s until {@code text} occurs {@code times} times in the log. */
  private String awaitLog(String text, int times) throws Exception {
    Path log = dir.resolve("log/maillog");
    String all = "";
    for (int i = 0; i < 100; i++) {
      all = Files.exists(log) ? Files.readString(log) : "";
      if (all.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
        return all;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no \"" + text + "\" in the log:\n" + all);
  }

  private static void send(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      b.write(c);
    }
    String s = b.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
