package org.postern.engine.smtp;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;

/**
 * Sets up a session with a destination: tries its servers in order (as Postfix tries MX
 * hosts) until one connects, greets with 2xx (RFC 5321 §3.1), answers EHLO (or HELO when
 * EHLO gets 5xx; LMTP: LHLO only, RFC 2033 §4.1, over TCP or a UNIX-domain socket), is not
 * ourselves (SMTP only, as Postfix), and meets the TLS level (RFC 3207): at {@code may} a
 * failed handshake is retried in plaintext on a NEW connection, never continued on the old
 * one; at {@code encrypt}/{@code verify} TLS failures defer (4.7.4, 4.7.5). With
 * {@code smtp_tls_wrappermode} (RFC 8314 implicit TLS, port 465) the handshake comes first,
 * before the greeting (the destination says so), and needs level {@code encrypt} or
 * {@code verify}, as in Postfix. Last, the {@link Authenticator} logs in where a login is due.
 *
 * <p>Trusts nothing the server says. The last server's failure decides when none works.
 * Stateless between calls; thread-safe.
 */
final class SessionOpener {
  private final ClientSettings settings;
  private final TlsStarter tls;
  private final Authenticator authenticator;
  private final MailLog log;
  private final ScheduledExecutorService timer;

  SessionOpener(
      ClientSettings settings, TlsStarter tls, Authenticator authenticator, MailLog log,
      ScheduledExecutorService timer) {
    this.settings = settings;
    this.tls = tls;
    this.authenticator = authenticator;
    this.log = log;
    this.timer = timer;
  }

  Session open(Destination dest, Transcript transcript) throws SessionFailure {
    SessionFailure last = null;
    for (Endpoint server : dest.endpoints()) {
      try {
        return open(dest, server, dest.tlsLevel(), transcript);
      } catch (SessionFailure f) {
        log.info(f.status().text());
        last = f;
      }
    }
    throw last;
  }

  private Session open(Destination dest, Endpoint server, TlsLevel level, Transcript transcript)
      throws SessionFailure {
    if (dest.implicitTls() && !level.required()) {
      log.warning("smtp_tls_wrappermode requires \"smtp_tls_security_level = encrypt\""
          + " (or stronger)");
      throw new SessionFailure(Trouble.wrapperNeedsEncrypt(), Optional.empty(),
          Optional.of(server));
    }
    SmtpConnection conn = connect(server, transcript);
    try {
      // Implicit TLS: the handshake before anything else (RFC 8314 §3.3).
      Optional<TlsSession> wrapped = Optional.empty();
      if (dest.implicitTls()) {
        wrapped = handshake(conn, server, level);
        log.info(wrapped.orElseThrow().logLine(server));
      }

      // Greeting and EHLO.
      SmtpReply greeting = conn.reply(Stage.GREETING);
      if (!greeting.isPositive()) {
        throw refusal(conn, Trouble.refused(server, greeting), Optional.of(greeting));
      }
      ServerFeatures features = hello(conn, dest);
      if (wrapped.isPresent() || level == TlsLevel.NONE) {
        return session(conn, features, wrapped, dest);
      }

      // STARTTLS, by the destination's level.
      if (!features.starttls()) {
        if (level.required()) {
          throw refusal(conn, Trouble.tlsNotOffered(server), Optional.empty());
        }
        return session(conn, features, Optional.empty(), dest);
      }
      conn.command(Stage.STARTTLS, "STARTTLS");
      conn.flush();
      SmtpReply reply = conn.reply(Stage.STARTTLS);
      if (!reply.isPositive()) {
        if (level.required()) {
          throw refusal(conn, Trouble.tlsRefused(server, reply), Optional.of(reply));
        }
        // No handshake began: the plaintext conversation is intact (Postfix goes on too).
        return session(conn, features, Optional.empty(), dest);
      }
      Optional<TlsSession> session = handshake(conn, server, level);
      if (session.isEmpty()) {
        log.info(server.namaddrport() + ": TLS handshake failed; trying plaintext"
            + " on a new connection");
        return open(dest, server, TlsLevel.NONE, transcript);
      }
      log.info(session.get().logLine(server));
      // RFC 3207 §4.2: forget what was said before TLS; ask again.
      return session(conn, hello(conn, dest), session, dest);
    } catch (ConversationException e) {
      conn.close();
      throw new SessionFailure(Trouble.conversation(server, e), Optional.empty(),
          Optional.of(server));
    }
  }

  /** The session, once logged in where a login is due (RFC 4954). */
  private Session session(SmtpConnection conn, ServerFeatures features,
      Optional<TlsSession> tlsSession, Destination dest)
      throws SessionFailure, ConversationException {
    authenticator.login(conn, features, tlsSession.isPresent(), dest);
    return new Session(conn, features, tlsSession, settings, log, dest.protocol());
  }

  /** The TLS session; empty (connection closed) when {@code may} should retry in plaintext. */
  private Optional<TlsSession> handshake(SmtpConnection conn, Endpoint server, TlsLevel level)
      throws SessionFailure, ConversationException {
    TlsStarter.Failure failure;
    try {
      if (conn.hasUnreadInput()) {
        throw new TlsStarter.Failure("plaintext after the STARTTLS reply", false, null);
      }
      TlsSession session =
          tls.start(conn.socket(), server, level, settings.timeouts().starttls());
      conn.upgrade(session.socket());
      return Optional.of(session);
    } catch (TlsStarter.Failure e) {
      failure = e;
    } catch (IOException e) {
      failure = new TlsStarter.Failure(String.valueOf(e.getMessage()), false, e);
    }
    conn.close(); // the peer is in an unknown state: no further I/O on this connection
    log.warning("TLS handshake with " + server.namaddrport() + " failed: "
        + failure.getMessage());
    if (level == TlsLevel.MAY) {
      return Optional.empty();
    }
    throw new SessionFailure(Trouble.tlsFailed(failure.certificateRejected()), Optional.empty(),
        Optional.of(server));
  }

  /** EHLO, or HELO when EHLO gets 5xx (RFC 5321 §3.2); then the mail loop check. */
  private ServerFeatures hello(SmtpConnection conn, Destination dest)
      throws SessionFailure, ConversationException {
    Endpoint server = conn.endpoint();
    if (dest.protocol() == Protocol.LMTP) {
      // RFC 2033 §4.1: LHLO, with EHLO's reply syntax; a store is not a mail loop.
      conn.command(Stage.LHLO, "LHLO " + settings.heloName());
      conn.flush();
      SmtpReply reply = conn.reply(Stage.LHLO);
      if (!reply.isPositive()) {
        throw refusal(conn, Trouble.refused(server, reply), Optional.of(reply));
      }
      return ServerFeatures.ofEhlo(reply);
    }
    conn.command(Stage.EHLO, "EHLO " + settings.heloName());
    conn.flush();
    SmtpReply reply = conn.reply(Stage.EHLO);
    ServerFeatures features;
    if (reply.isPositive()) {
      features = ServerFeatures.ofEhlo(reply);
    } else if (reply.isPermanent()) {
      conn.command(Stage.HELO, "HELO " + settings.heloName());
      conn.flush();
      reply = conn.reply(Stage.HELO);
      if (!reply.isPositive()) {
        throw refusal(conn, Trouble.refused(server, reply), Optional.of(reply));
      }
      features = ServerFeatures.ofHelo(reply);
    } else {
      throw refusal(conn, Trouble.refused(server, reply), Optional.of(reply));
    }
    if (features.serverName().equalsIgnoreCase(settings.myhostname())) {
      log.warning("host " + server.namaddrport() + " replied to HELO/EHLO with my own hostname "
          + settings.myhostname());
      throw refusal(conn, Trouble.loop(dest.nexthop()), Optional.empty());
    }
    return features;
  }

  private SmtpConnection connect(Endpoint server, Transcript transcript) throws SessionFailure {
    if (server.isUnix()) {
      return connectUnix(server, transcript);
    }
    Socket socket = new Socket();
    try {
      socket.connect(server.address(), (int) Math.min(Integer.MAX_VALUE,
          settings.timeouts().connect()));
      return new SmtpConnection(Link.of(socket), server, settings.timeouts(), transcript, timer);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException closing) {
        // Never connected: nothing to release but the descriptor.
      }
      String why = e instanceof SocketTimeoutException ? "Connection timed out"
          : String.valueOf(e.getMessage());
      throw new SessionFailure(Trouble.connectFailed(server, why), Optional.empty(),
          Optional.of(server));
    }
  }

  /** Connects to a UNIX-domain socket (an LMTP store); a refusal is temporary (4.4.1). */
  private SmtpConnection connectUnix(Endpoint server, Transcript transcript)
      throws SessionFailure {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(server.address());
      return new SmtpConnection(new UnixLink(channel, timer), server, settings.timeouts(),
          transcript, timer);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException closing) {
          // Never connected: nothing to release but the descriptor.
        }
      }
      throw new SessionFailure(Trouble.connectFailed(server, String.valueOf(e.getMessage())),
          Optional.empty(), Optional.of(server));
    }
  }

  /** Ends a conversation that is in order but useless (QUIT) and reports why. */
  static SessionFailure refusal(
      SmtpConnection conn, DsnStatus status, Optional<SmtpReply> reply) {
    Session.quit(conn);
    Endpoint server = conn.endpoint();
    return new SessionFailure(
        status, reply.map(r -> new RemoteReply(server.hostname(), r)), Optional.of(server));
  }
}
