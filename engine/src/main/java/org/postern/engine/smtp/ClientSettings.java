package org.postern.engine.smtp;

import java.nio.file.Path;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * The SMTP client's configuration: the name we give in EHLO ({@code smtp_helo_name}), our own
 * host name for loop detection ({@code myhostname}), the stage timeouts, the default TLS level
 * and CA file, whether 8-bit mail needs an 8BITMIME server ({@code smtp_8bitmime_strict}),
 * and how to log in ({@link SaslSettings}).
 *
 * <p>Values come from main.cf through {@link Config}, which checks them. Immutable.
 */
public record ClientSettings(
    String heloName,
    String myhostname,
    Timeouts timeouts,
    TlsLevel tlsLevel,
    Optional<Path> caFile,
    boolean strict8BitMime,
    SaslSettings sasl) {

  public static ClientSettings from(Config config) throws ConfigException {
    String level = config.get(Params.SMTP_TLS_SECURITY_LEVEL);
    String ca = config.get(Params.SMTP_TLS_CAFILE).strip();
    return new ClientSettings(
        config.get(Params.SMTP_HELO_NAME),
        config.get(Params.MYHOSTNAME),
        Timeouts.from(config),
        TlsLevel.parse(level)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "bad " + Params.SMTP_TLS_SECURITY_LEVEL.name() + " value \"" + level
                            + "\": expected none, may, encrypt or verify")),
        ca.isEmpty() ? Optional.empty() : Optional.of(config.resolve(ca)),
        config.bool(Params.SMTP_8BITMIME_STRICT),
        SaslSettings.from(config));
  }
}
