package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.ConfigException;
import org.postern.engine.queue.QueueState;

/**
 * The listeners as main.cf describes them: per-port settings ({@code PORT.name}), the
 * submission port's TLS default, and reloads that leave running sessions and unchanged
 * sockets alone while binding added and closing removed addresses.
 */
class SmtpListenerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path root;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  /** Two different free ports (two free ports asked for one after the other may be one). */
  private static int[] twoFreePorts() throws IOException {
    try (ServerSocket a = new ServerSocket(0, 1, LOOPBACK);
        ServerSocket b = new ServerSocket(0, 1, LOOPBACK)) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    }
  }

  private static SmtpTestClient connect(int port) throws IOException {
    return new SmtpTestClient(new InetSocketAddress(LOOPBACK, port));
  }

  /**
   * Whether connections to {@code port} are refused within two seconds: a listening socket
   * closed while its thread is inside accept(2) lives until that call is interrupted, so a
   * connection in that moment may still be queued (and is then dropped).
   */
  private static boolean refusesSoon(int port) throws Exception {
    for (int i = 0; i < 100; i++) {
      try {
        connect(port).close();
      } catch (ConnectException e) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private static void reload(SmtpListener listener, ListenerInstance inst) throws Exception {
    listener.reload(inst.config(), inst.system(), ListenerInstance.policy());
  }

  @Test
  void givesEachPortItsOwnSettings() throws Exception {
    int mx = freePort();
    int submission = freePort();
    ListenerInstance inst = ListenerInstance.create(root,
        "smtpd_listen = 127.0.0.1:" + mx + ", 127.0.0.1:" + submission,
        submission + ".smtpd_banner = $myhostname ESMTP submission",
        submission + ".smtpd_recipient_limit = 1");
    try (SmtpListener listener = inst.listen();
        SmtpTestClient a = connect(mx);
        SmtpTestClient b = connect(submission)) {
      assertEquals("220 mail.example.org ESMTP Postern", a.line());
      assertEquals("220 mail.example.org ESMTP submission", b.line());
      b.command("EHLO client.example.net");
      b.command("MAIL FROM:<bob@example.net>");
      b.command("RCPT TO:<alice@example.org>");

      assertEquals(List.of("452 4.5.3 Error: too many recipients"),
          b.command("RCPT TO:<alice@example.org>"));
    }
  }

  @Test
  void requiresTlsOnTheSubmissionPortByDefault() throws Exception {
    TestCertificates.Pair pair =
        TestCertificates.create(root, "server", TestCertificates.KeyFormat.RSA_PKCS8);
    ListenerInstance inst = ListenerInstance.create(root,
        "smtpd_listen = 127.0.0.1:25, 127.0.0.1:587",
        "smtpd_tls_cert_file = " + pair.cert(), "smtpd_tls_key_file = " + pair.key());

    Map<ListenAddress, ListenerService> services = ListenerPlan.of(inst.config(),
        inst.system(), ListenerInstance.policy(), () -> {}, 0).services();

    ServerTls mx = services.get(ListenAddress.parse("127.0.0.1:25")).context().tls();
    ServerTls submission = services.get(ListenAddress.parse("127.0.0.1:587")).context().tls();
    assertFalse(mx.enabled());
    assertEquals(Optional.empty(), mx.mailRefusal(false));
    assertTrue(submission.available());
    assertEquals(Optional.of("530 5.7.0 Must issue a STARTTLS command first"),
        submission.mailRefusal(false));
    assertEquals(Optional.empty(), submission.mailRefusal(true));
  }

  @Test
  void keepsARunningSessionAndItsSettingsAcrossAReload() throws Exception {
    ListenerInstance inst = ListenerInstance.create(root);
    try (SmtpListener listener = inst.listen()) {
      InetSocketAddress before = listener.addresses().get(0);
      try (SmtpTestClient old = new SmtpTestClient(before)) {
        assertEquals("220 mail.example.org ESMTP Postern", old.line());
        old.command("EHLO client.example.net");
        old.command("MAIL FROM:<bob@example.net>");
        old.command("RCPT TO:<alice@example.org>");

        inst.writeMainCf("smtpd_banner = $myhostname ESMTP reloaded", "smtpd_recipient_limit = 0");
        reload(listener, inst);

        assertEquals(List.of(before), listener.addresses(), "the same socket, still bound");
        try (SmtpTestClient fresh = new SmtpTestClient(before)) {
          assertEquals("220 mail.example.org ESMTP reloaded", fresh.line());
        }
        assertEquals(List.of("250 2.1.5 Ok"), old.command("RCPT TO:<alice@example.org>"),
            "the old session keeps its recipient limit");
        old.write("DATA\r\n");
        assertEquals("354 End data with <CR><LF>.<CR><LF>", old.line());
        old.write("Subject: across a reload\r\n\r\nhello\r\n.\r\n");
        assertTrue(old.line().startsWith("250 2.0.0 Ok: queued as "));
      }
      assertEquals(1, inst.system().queue().list(QueueState.INCOMING).size());
    }
  }

  @Test
  void bindsAddedAndClosesRemovedAddressesWhileTheirSessionsFinish() throws Exception {
    int[] ports = twoFreePorts();
    int first = ports[0];
    int second = ports[1];
    ListenerInstance inst = ListenerInstance.create(root, "smtpd_listen = 127.0.0.1:" + first);
    try (SmtpListener listener = inst.listen(); SmtpTestClient old = connect(first)) {
      old.line();
      old.command("EHLO client.example.net");

      inst.writeMainCf("smtpd_listen = 127.0.0.1:" + second);
      reload(listener, inst);

      assertEquals(List.of(new InetSocketAddress(LOOPBACK, second)), listener.addresses());
      assertTrue(refusesSoon(first), "the removed address stops accepting");
      try (SmtpTestClient fresh = connect(second)) {
        assertEquals("220 mail.example.org ESMTP Postern", fresh.line());
      }
      String queued = old.send("bob@example.net", "alice@example.org", "Subject: x\n\ny\n");
      assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
    }
  }

  @Test
  void keepsItsAddressesWhenAReloadCannotBindANewOne() throws Exception {
    int[] ports = twoFreePorts();
    int first = ports[0];
    int added = ports[1];
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      int busy = taken.getLocalPort();
      ListenerInstance inst = ListenerInstance.create(root, "smtpd_listen = 127.0.0.1:" + first);
      try (SmtpListener listener = inst.listen()) {
        inst.writeMainCf("smtpd_listen = 127.0.0.1:" + added + ", 127.0.0.1:" + busy,
            "smtpd_banner = $myhostname ESMTP reloaded");
        reload(listener, inst);

        assertEquals(List.of(new InetSocketAddress(LOOPBACK, first)), listener.addresses());
        assertThrows(ConnectException.class, () -> connect(added));
        try (SmtpTestClient client = connect(first)) {
          assertEquals("220 mail.example.org ESMTP Postern", client.line());
        }
      }
    }
  }

  @Test
  void changesNothingWhenTheReloadedConfigurationIsBad() throws Exception {
    ListenerInstance inst = ListenerInstance.create(root);
    try (SmtpListener listener = inst.listen()) {
      InetSocketAddress at = listener.addresses().get(0);
      inst.writeMainCf("smtpd_banner = changed", "smtpd_tls_security_level = sometimes");

      ConfigException e = assertThrows(ConfigException.class, () -> reload(listener, inst));

      assertTrue(e.getMessage().contains("bad smtpd_tls_security_level value \"sometimes\""),
          e.getMessage());
      try (SmtpTestClient client = new SmtpTestClient(at)) {
        assertEquals("220 mail.example.org ESMTP Postern", client.line());
      }
    }
  }

  @Test
  void turnsAwayAClientOverItsConnectionRateButNotAnExceptedOne() throws Exception {
    int port = freePort();
    ListenerInstance inst = ListenerInstance.create(root, "smtpd_listen = 127.0.0.1:" + port,
        "smtpd_client_connection_rate_limit = 2", "anvil_rate_time_unit = 60s",
        "smtpd_client_event_limit_exceptions =");
    try (SmtpListener listener = inst.listen()) {
      for (int i = 0; i < 2; i++) {
        try (SmtpTestClient c = connect(port)) {
          assertEquals("220 mail.example.org ESMTP Postern", c.line());
        }
      }
      try (SmtpTestClient third = connect(port)) {
        assertEquals("421 4.7.0 mail.example.org Error: too many connections from 127.0.0.1",
            third.line());
      }
      assertTrue(inst.awaitLog("Connection rate limit exceeded").contains(
          "warning: Connection rate limit exceeded: 3 from unknown[127.0.0.1] for service smtp"));
    }
    ListenerInstance excepted = ListenerInstance.create(Files.createDirectory(root.resolve("x")),
        "smtpd_listen = 127.0.0.1:" + port, "smtpd_client_connection_rate_limit = 1");
    try (SmtpListener listener = excepted.listen()) {
      for (int i = 0; i < 3; i++) { // 127.0.0.1 is in mynetworks, the default exceptions
        try (SmtpTestClient c = connect(port)) {
          assertEquals("220 mail.example.org ESMTP Postern", c.line());
        }
      }
    }
  }
}
