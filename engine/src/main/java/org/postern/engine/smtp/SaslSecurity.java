package org.postern.engine.smtp;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.postern.engine.global.ConfigException;

/**
 * The words of Postfix's {@code smtp_sasl_security_options} and
 * {@code smtp_sasl_tls_security_options} (Cyrus SASL's security properties): each excludes the
 * mechanisms that lack that property; {@code noplaintext} excludes PLAIN and LOGIN.
 * Immutable.
 */
enum SaslSecurity {
  NOPLAINTEXT,
  NOACTIVE,
  NODICTIONARY,
  NOANONYMOUS,
  MUTUAL_AUTH,
  FORWARD_SECRECY;

  /** The properties a main.cf value requires; an unknown word is a ConfigException. */
  static Set<SaslSecurity> parse(String parameter, String value) throws ConfigException {
    Set<SaslSecurity> out = EnumSet.noneOf(SaslSecurity.class);
    for (String w : value.strip().split("[\\s,]+")) {
      if (w.isEmpty()) {
        continue;
      }
      try {
        out.add(valueOf(w.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("bad " + parameter + " value \"" + w + "\": expected"
            + " noplaintext, noactive, nodictionary, noanonymous, mutual_auth or"
            + " forward_secrecy");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
