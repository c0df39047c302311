package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;

/** smtpd_tls_protocols in Postfix's syntax, against a fixed list of JDK protocols. */
class TlsProtocolsTest {
  private static final Set<String> JDK = Set.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2",
      "TLSv1.3");

  @TempDir Path dir;

  private String[] parse(String value) throws Exception {
    Files.writeString(dir.resolve("main.cf"), "smtpd_tls_protocols = " + value + "\n");
    return TlsProtocols.parse(Config.load(dir), JDK);
  }

  @Test
  void allowsTls12AndTls13ByDefault() throws Exception {
    assertArrayEquals(new String[] {"TLSv1.2", "TLSv1.3"},
        TlsProtocols.parse(Config.defaults(dir), JDK));
  }

  @Test
  void readsPostfixExclusions() throws Exception {
    assertArrayEquals(new String[] {"TLSv1.1", "TLSv1.2", "TLSv1.3"},
        parse("!SSLv2, !SSLv3, !TLSv1"));
  }

  @Test
  void readsNamesAndBounds() throws Exception {
    assertArrayEquals(new String[] {"TLSv1.3"}, parse("TLSv1.3"));
    assertArrayEquals(new String[] {"TLSv1.2"}, parse(">=TLSv1.1 <=TLSv1.2 !TLSv1.1"));
  }

  @Test
  void refusesAnUnknownNameNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("TLSv9"));
    assertEquals(dir.resolve("main.cf") + ", line 1: bad smtpd_tls_protocols value \"TLSv9\": "
        + "expected protocol names of SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, with !, "
        + ">= or <=", e.getMessage());
  }

  @Test
  void refusesASettingThatLeavesNothing() {
    assertThrows(ConfigException.class, () -> parse("SSLv2"));
  }
}
