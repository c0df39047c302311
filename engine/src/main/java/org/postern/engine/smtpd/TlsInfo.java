package org.postern.engine.smtpd;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSession;

/**
 * What a finished TLS handshake agreed on, for the log line and the Received header in
 * Postfix's words: {@code TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)}. The
 * JDK does not report the key exchange group or the cipher's strength, so the bits are
 * read from the cipher suite's name.
 *
 * <p>Immutable.
 */
public record TlsInfo(String protocol, String cipher, int bits) {
  private static final Pattern KEY_BITS = Pattern.compile("_(?:AES|CAMELLIA|ARIA)_(\\d+)_");

  static TlsInfo of(SSLSession session) {
    String cipher = session.getCipherSuite();
    return new TlsInfo(session.getProtocol(), cipher, bits(cipher));
  }

  /** Postfix's {@code PROTOCOL with cipher NAME (B/B bits)}. */
  public String summary() {
    return protocol + " with cipher " + cipher + " (" + bits + "/" + bits + " bits)";
  }

  private static int bits(String cipher) {
    if (cipher.contains("CHACHA20")) {
      return 256;
    }
    Matcher m = KEY_BITS.matcher(cipher);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
