package org.postern.engine.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.maps.FixedTable;
import org.postern.maps.LookupException;

/**
 * The login lookup order of Postfix's smtp_sasl_passwd_lookup (sender when sender-dependent,
 * server host name, then the next hop as written) and of sendmail's authinfo.
 */
class SaslPasswordsTest {
  private static final Endpoint SERVER = endpoint();

  private static Endpoint endpoint() {
    try {
      return new Endpoint("smtp.example.com", new InetSocketAddress(
          InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 7}), 587));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static SaslPasswords table(boolean authinfo, String... keysAndValues) {
    List<Map.Entry<String, String>> entries = new java.util.ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      entries.add(Map.entry(keysAndValues[i], keysAndValues[i + 1]));
    }
    return new SaslPasswords(FixedTable.of("test", entries, true), authinfo);
  }

  private static String user(SaslPasswords p, String sender, boolean bySender)
      throws LookupException {
    return p.find(SERVER, "[smtp.example.com]:587", sender, bySender)
        .map(c -> c.authenticationId() + "/" + c.password()).orElse("none");
  }

  @Test
  void triesTheHostNameBeforeTheNextHopAsWritten() throws Exception {
    SaslPasswords p = table(false, "[smtp.example.com]:587", "hop:1", "smtp.example.com",
        "host:a:b");
    assertEquals("host/a:b", user(p, "me@example.org", false));
    assertEquals("hop/1", user(table(false, "[smtp.example.com]:587", "hop:1"), "", false));
    assertEquals("none", user(table(false, "[smtp.example.com]", "x:y"), "", false));
  }

  @Test
  void triesTheSenderAndItsDomainFirstWhenSenderDependent() throws Exception {
    SaslPasswords p = table(false, "me@example.org", "me:1", "@example.org", "dom:2",
        "smtp.example.com", "host:3");
    assertEquals("me/1", user(p, "me@example.org", true));
    assertEquals("dom/2", user(p, "you@example.org", true));
    assertEquals("host/3", user(p, "me@example.org", false));
  }

  @Test
  void readsSendmailAuthInfoByHostAddressAndDefault() throws Exception {
    assertEquals("me/s", user(table(true, "AuthInfo:example.com", "\"U:me\" \"P:s\"",
        "AuthInfo:", "\"U:dflt\" \"P:d\""), "", false));
    assertEquals("ip/s", user(table(true, "AuthInfo:192.0.2", "\"U:ip\" \"P:s\""), "", false));
    assertEquals("dflt/d", user(table(true, "AuthInfo:", "\"U:dflt\" \"P:d\""), "", false));
    LookupException e = assertThrows(LookupException.class,
        () -> user(table(true, "AuthInfo:", "\"U:me\" \"Q:secret\""), "", false));
    assertEquals("test: entry AuthInfo:: unknown item \"Q:\": expected U, I, P, R or M",
        e.getMessage());
    assertTrue(Optional.of(e.getMessage()).filter(m -> m.contains("secret")).isEmpty());
  }
}
