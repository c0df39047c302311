package org.postern.engine.smtp;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.maps.LookupException;

/**
 * Logs in to a server that offers AUTH (RFC 4954), as Postfix's smtp_sasl_proto.c decides: no
 * AUTH offered, or no login in the password table for this server, means no login at all (we
 * talk as strangers); otherwise the strongest mechanism that the filter, the security options
 * for this connection (with or without TLS) and the entry allow, and a refusal ends the
 * session (4.7.x, deferred), so the mail is never sent unauthenticated instead.
 *
 * <p>Trusts the settings and the table; challenges are the server's (decoded strictly). Never
 * writes a credential to the transcript ({@code ****}) or the log. Stateless; thread-safe.
 */
final class Authenticator {
  private static final String HIDDEN = "****";
  /** RFC 4954 §4: AUTH with its initial response must fit a 512-octet command line. */
  private static final int MAX_COMMAND = 512;
  private static final int MAX_STEPS = 100;

  private final SaslSettings settings;
  private final SaslPasswords passwords;
  private final MailLog log;

  Authenticator(SaslSettings settings, SaslPasswords passwords, MailLog log) {
    this.settings = settings;
    this.passwords = passwords;
    this.log = log;
  }

  /** Logs in when it should; returns normally when logged in or when no login is due. */
  void login(SmtpConnection conn, ServerFeatures features, boolean encrypted, Destination dest)
      throws SessionFailure, ConversationException {
    if (!settings.enabled() || !features.auth()) {
      return;
    }
    Endpoint server = conn.endpoint();
    Optional<SaslCredentials> login;
    try {
      login = passwords.find(server, dest.written(), dest.sender(), settings.senderDependent());
    } catch (LookupException e) {
      log.warning(passwords.name() + " lookup error: " + e.getMessage());
      throw SessionOpener.refusal(conn, Trouble.saslLookupFailed(e.getMessage()),
          Optional.empty());
    }
    if (login.isEmpty()) {
      return;
    }
    SaslMechanism mechanism = choose(conn, features, encrypted, login.get());
    exchange(conn, mechanism, login.get());
  }

  /** The strongest usable mechanism, or the deferral saying why there is none. */
  private SaslMechanism choose(SmtpConnection conn, ServerFeatures features, boolean encrypted,
      SaslCredentials login) throws SessionFailure {
    Endpoint server = conn.endpoint();
    List<SaslMechanism> offered = new ArrayList<>();
    for (SaslMechanism m : SaslMechanism.values()) {
      if (features.authMechanisms().contains(m.word) && settings.passes(m.word)) {
        offered.add(m);
      }
    }
    if (offered.isEmpty()) {
      log.warning(features.authMechanisms().isEmpty()
          ? server.namaddrport() + " offered null AUTH mechanism list"
          : server.namaddrport() + " offered no supported AUTH mechanisms: '"
              + String.join(" ", features.authMechanisms()) + "'");
      throw SessionOpener.refusal(conn, Trouble.saslNoCompatible(server), Optional.empty());
    }
    Set<SaslSecurity> required = settings.options(encrypted);
    for (SaslMechanism m : offered) {
      if (m.meets(required) && (login.mechanisms().isEmpty()
          || login.mechanisms().contains(m.word))) {
        return m;
      }
    }
    String parameter = encrypted ? Params.SMTP_SASL_TLS_SECURITY_OPTIONS.name()
        : Params.SMTP_SASL_SECURITY_OPTIONS.name();
    String why = "no mechanism available (offered: "
        + offered.stream().map(m -> m.word).collect(Collectors.joining(" "))
        + (encrypted ? "" : ", without TLS") + "; " + parameter + " = "
        + required.stream().map(SaslSecurity::toString).sorted()
            .collect(Collectors.joining(", "))
        + (login.mechanisms().isEmpty() ? "" : "; allowed by the entry: "
            + String.join(" ", login.mechanisms())) + ")";
    throw SessionOpener.refusal(conn, Trouble.saslCannot(server, why), Optional.empty());
  }

  /** AUTH, then one response per 334 challenge, until the server's final reply. */
  private void exchange(SmtpConnection conn, SaslMechanism m, SaslCredentials login)
      throws SessionFailure, ConversationException {
    Endpoint server = conn.endpoint();
    String command = "AUTH " + m.word;
    Optional<String> initial = m.initial(login).map(Authenticator::encode);
    Optional<String> pending = Optional.empty();
    if (initial.isPresent() && command.length() + 1 + initial.get().length() + 2
        <= MAX_COMMAND) {
      conn.secret(Stage.AUTH, command + " " + initial.get(), command + " " + HIDDEN);
    } else {
      conn.command(Stage.AUTH, command);
      pending = initial;
    }
    conn.flush();
    SmtpReply reply = conn.reply(Stage.AUTH);
    for (int step = 0; reply.isIntermediate(); step++) {
      if (step >= MAX_STEPS) {
        throw abandon(conn, new DsnStatus("4.3.0", "SASL authentication failed;"
            + " authentication protocol loop with server " + server.namaddr()));
      }
      String response;
      if (pending.isPresent()) {
        response = pending.get(); // the initial response the AUTH line had no room for
        pending = Optional.empty();
      } else {
        response = encode(respond(conn, m, login, step, challenge(reply)));
      }
      conn.secret(Stage.AUTH, response, HIDDEN);
      conn.flush();
      reply = conn.reply(Stage.AUTH);
    }
    if (!reply.isPositive()) {
      throw SessionOpener.refusal(conn, Trouble.saslFailed(server, reply), Optional.of(reply));
    }
  }

  private byte[] respond(SmtpConnection conn, SaslMechanism m, SaslCredentials login, int step,
      String challenge) throws SessionFailure {
    try {
      return m.respond(login, step, Base64.getDecoder().decode(challenge));
    } catch (IllegalArgumentException e) {
      throw abandon(conn, Trouble.saslCannot(conn.endpoint(), "malformed " + m.word
          + " challenge (not base64)"));
    } catch (GeneralSecurityException e) {
      throw abandon(conn, Trouble.saslCannot(conn.endpoint(), m.word
          + " is not available in this Java: " + e.getMessage()));
    }
  }

  /** The text after {@code 334 } of a challenge reply. */
  private static String challenge(SmtpReply reply) {
    String first = reply.lines().get(0);
    return first.length() > 4 ? first.substring(4).strip() : "";
  }

  /** Gives up in mid-exchange: the server waits for a response, so no QUIT, just close. */
  private static SessionFailure abandon(SmtpConnection conn, DsnStatus status) {
    conn.close();
    return new SessionFailure(status, Optional.empty(), Optional.of(conn.endpoint()));
  }

  private static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
