package org.postern.engine.smtp;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * How the client logs in to servers (RFC 4954, Postfix's {@code smtp_sasl_*}): whether at all
 * ({@code smtp_sasl_auth_enable}), the security properties a mechanism needs without TLS
 * ({@code smtp_sasl_security_options}) and inside TLS ({@code smtp_sasl_tls_security_options}),
 * the mechanisms considered at all ({@code smtp_sasl_mechanism_filter}, empty: all), and
 * whether the password table is also keyed by sender
 * ({@code smtp_sender_dependent_authentication}).
 *
 * <p>Values come from main.cf through {@link Config}; a bad word is a ConfigException.
 * Immutable.
 */
public record SaslSettings(
    boolean enabled,
    Set<SaslSecurity> plaintextOptions,
    Set<SaslSecurity> tlsOptions,
    Set<String> mechanismFilter,
    boolean senderDependent) {

  /** No login at all (tests, and main.cf without smtp_sasl_auth_enable). */
  public static final SaslSettings DISABLED = new SaslSettings(false, Set.of(), Set.of(),
      Set.of(), false);

  public SaslSettings {
    plaintextOptions = Set.copyOf(plaintextOptions);
    tlsOptions = Set.copyOf(tlsOptions);
    mechanismFilter = Set.copyOf(mechanismFilter);
  }

  public static SaslSettings from(Config config) throws ConfigException {
    Set<String> filter = new TreeSet<>();
    for (String m : config.list(Params.SMTP_SASL_MECHANISM_FILTER)) {
      if (m.contains(":")) {
        throw new ConfigException("bad " + Params.SMTP_SASL_MECHANISM_FILTER.name() + " value \""
            + m + "\": Postern takes mechanism names here, not tables");
      }
      filter.add(m.toUpperCase(Locale.ROOT));
    }
    return new SaslSettings(
        config.bool(Params.SMTP_SASL_AUTH_ENABLE),
        SaslSecurity.parse(Params.SMTP_SASL_SECURITY_OPTIONS.name(),
            config.get(Params.SMTP_SASL_SECURITY_OPTIONS)),
        SaslSecurity.parse(Params.SMTP_SASL_TLS_SECURITY_OPTIONS.name(),
            config.get(Params.SMTP_SASL_TLS_SECURITY_OPTIONS)),
        filter,
        config.bool(Params.SMTP_SENDER_DEPENDENT_AUTHENTICATION));
  }

  /** Whether the filter lets {@code mechanism} (upper case) through. */
  boolean passes(String mechanism) {
    return mechanismFilter.isEmpty() || mechanismFilter.contains(mechanism);
  }

  /** The options for a session with or without TLS. */
  Set<SaslSecurity> options(boolean encrypted) {
    return encrypted ? tlsOptions : plaintextOptions;
  }
}
