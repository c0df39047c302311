package org.postern.engine.smtp;

import java.util.Locale;
import java.util.Optional;

/**
 * How much TLS a delivery insists on (Postfix's {@code smtp_tls_security_level}, RFC 3207):
 * {@code none} never sends STARTTLS; {@code may} uses it when offered and falls back to
 * plaintext on a new connection when the handshake fails; {@code encrypt} requires TLS with
 * any certificate; {@code verify} requires a certificate that chains to a trusted CA and names
 * the server. Immutable.
 */
public enum TlsLevel {
  NONE,
  MAY,
  ENCRYPT,
  VERIFY;

  /** The level of that main.cf spelling ({@code none}, {@code may}, ...), if it is one. */
  public static Optional<TlsLevel> parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      return Optional.of(NONE); // Postfix: an empty level means no TLS
    }
    for (TlsLevel level : values()) {
      if (level.name().toLowerCase(Locale.ROOT).equals(t)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }

  /** True when plaintext delivery is not allowed at this level. */
  public boolean required() {
    return this == ENCRYPT || this == VERIFY;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
