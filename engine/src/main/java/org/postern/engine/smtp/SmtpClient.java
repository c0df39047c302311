package org.postern.engine.smtp;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;

/**
 * The SMTP and LMTP client (Postfix's smtp(8) and lmtp(8), protocol side): delivers a message
 * to a destination whose servers the caller has already found, and reports each recipient's
 * outcome. Routing
 * (MX lookup, relayhost, transport maps) and the queue are the caller's.
 *
 * <p>Trusts its settings; trusts nothing from servers. Owns one timer thread (write
 * deadlines of all its sessions), stopped by {@link #close()}. Thread-safe: sessions are
 * independent, each used by one thread.
 */
public final class SmtpClient implements AutoCloseable {
  private final ScheduledThreadPoolExecutor timer;
  private final SessionOpener opener;
  private final String myhostname;
  private final boolean loginBySender;

  private SmtpClient(ClientSettings settings, TlsStarter tls, SaslPasswords passwords,
      MailLog log) {
    this.myhostname = settings.myhostname();
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "smtp-timeout");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    this.loginBySender = settings.sasl().enabled() && settings.sasl().senderDependent();
    this.opener = new SessionOpener(settings, tls,
        new Authenticator(settings.sasl(), passwords, log), log, timer);
  }

  /** A client that logs in nowhere; see {@link #create(ClientSettings, SaslPasswords, MailLog)}. */
  public static SmtpClient create(ClientSettings settings, MailLog log) throws ConfigException {
    return create(settings, SaslPasswords.NONE, log);
  }

  /**
   * A client that finds its logins in {@code passwords}; a bad or unreadable
   * {@code smtp_tls_CAfile} is a configuration error.
   */
  public static SmtpClient create(ClientSettings settings, SaslPasswords passwords, MailLog log)
      throws ConfigException {
    try {
      return new SmtpClient(settings, TlsStarter.create(settings.caFile()), passwords, log);
    } catch (IOException | GeneralSecurityException e) {
      String what = settings.caFile()
          .map(f -> Params.SMTP_TLS_CAFILE.name() + " " + f)
          .orElse("the JDK trust store");
      throw new ConfigException("cannot load " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * The server on UNIX-domain socket {@code path}, logged as Postfix's lmtp(8) does:
   * {@code myhostname[written]}.
   */
  public Endpoint unixEndpoint(Path path, String written) {
    return Endpoint.unix(myhostname, path, written);
  }

  /** A session with the first server of {@code dest} that works. */
  public Session connect(Destination dest) throws SessionFailure {
    return connect(dest, Transcript.NONE);
  }

  /** As {@link #connect(Destination)}, passing every line of the dialogue to a transcript. */
  public Session connect(Destination dest, Transcript transcript) throws SessionFailure {
    return opener.open(dest, transcript);
  }

  /** Connects, sends one message, and quits. Never throws for a delivery problem. */
  public TransactionResult deliver(Destination dest, OutgoingMessage msg) {
    return deliver(dest, msg, Transcript.NONE);
  }

  public TransactionResult deliver(Destination dest, OutgoingMessage msg, Transcript transcript) {
    try (Session session = connect(dest, transcript)) {
      return session.send(msg);
    } catch (SessionFailure f) {
      return f.resultFor(msg.recipients());
    }
  }

  /**
   * Whether the login depends on the envelope sender
   * ({@code smtp_sender_dependent_authentication}): a session may then serve only mail of
   * the sender it was opened for.
   */
  public boolean loginBySender() {
    return loginBySender;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
