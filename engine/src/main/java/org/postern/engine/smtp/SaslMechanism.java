package org.postern.engine.smtp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SASL mechanisms the client can use (RFC 4954 for SMTP AUTH): PLAIN (RFC 4616), LOGIN
 * (draft-murchison-sasl-login) and CRAM-MD5 (RFC 2195), strongest first, each with the
 * security properties Cyrus SASL gives it, which {@code smtp_sasl_security_options} select on.
 * Each step maps the server's decoded challenge to our decoded response.
 *
 * <p>Trusts the credentials; the challenge is the server's and only hashed or ignored.
 * Stateless; thread-safe.
 */
enum SaslMechanism {
  CRAM_MD5("CRAM-MD5", EnumSet.of(SaslSecurity.NOPLAINTEXT, SaslSecurity.NOANONYMOUS)) {
    @Override
    Optional<byte[]> initial(SaslCredentials c) {
      return Optional.empty();
    }

    @Override
    byte[] respond(SaslCredentials c, int step, byte[] challenge)
        throws GeneralSecurityException {
      Mac mac = Mac.getInstance("HmacMD5");
      mac.init(new SecretKeySpec(c.password().getBytes(StandardCharsets.UTF_8), "HmacMD5"));
      return (c.authenticationId() + " " + HexFormat.of().formatHex(mac.doFinal(challenge)))
          .getBytes(StandardCharsets.UTF_8);
    }
  },
  PLAIN("PLAIN", EnumSet.of(SaslSecurity.NOANONYMOUS)) {
    @Override
    Optional<byte[]> initial(SaslCredentials c) {
      String authz = c.authorizationId().equals(c.authenticationId()) ? ""
          : c.authorizationId();
      return Optional.of((authz + "\0" + c.authenticationId() + "\0" + c.password())
          .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    byte[] respond(SaslCredentials c, int step, byte[] challenge) {
      return initial(c).orElseThrow(); // the server asked for the initial response
    }
  },
  LOGIN("LOGIN", EnumSet.of(SaslSecurity.NOANONYMOUS)) {
    @Override
    Optional<byte[]> initial(SaslCredentials c) {
      return Optional.empty();
    }

    @Override
    byte[] respond(SaslCredentials c, int step, byte[] challenge) {
      // "Username:" then "Password:"; by order, as servers word the prompts freely.
      return (step == 0 ? c.authenticationId() : c.password()).getBytes(StandardCharsets.UTF_8);
    }
  };

  /** The name in EHLO's AUTH line and in the AUTH command. */
  final String word;
  private final Set<SaslSecurity> properties;

  SaslMechanism(String word, Set<SaslSecurity> properties) {
    this.word = word;
    this.properties = properties;
  }

  /** The initial response sent with AUTH, if the mechanism has one. */
  abstract Optional<byte[]> initial(SaslCredentials c);

  /** The response to the {@code step}th challenge (from 0). */
  abstract byte[] respond(SaslCredentials c, int step, byte[] challenge)
      throws GeneralSecurityException;

  /** Whether the mechanism meets every property the options require. */
  boolean meets(Set<SaslSecurity> required) {
    return properties.containsAll(required);
  }

  /** The mechanism of that name, if this client has it. */
  static Optional<SaslMechanism> named(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    for (SaslMechanism m : values()) {
      if (m.word.equals(n)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
