package org.postern.engine.smtpd;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;

/**
 * One listener's STARTTLS (RFC 3207) with the JDK's SSLContext: smtpd_tls_security_level
 * ({@code none}, {@code may}: offered, {@code encrypt}: required before mail), the PEM
 * certificate and key, and the protocols allowed. Anonymous on the client's side: no client
 * certificate is asked for.
 *
 * <p>Trusts main.cf for the level (a bad value is a ConfigException); trusts nothing in the
 * certificate and key files: if they cannot be used, a warning naming the file is logged and
 * STARTTLS is not offered; under {@code encrypt} mail is then refused with 454 4.7.0, never
 * taken in plaintext. Certificates are read when the listener opens or reloads. Immutable
 * and thread-safe.
 */
public final class ServerTls {
  /** smtpd_tls_security_level. */
  enum Level {
    NONE,
    MAY,
    ENCRYPT
  }

  private static final ServerTls NONE = new ServerTls(Level.NONE, Optional.empty(), new String[0]);

  private final Level level;
  private final Optional<SSLContext> context;
  private final String[] protocols;

  private ServerTls(Level level, Optional<SSLContext> context, String[] protocols) {
    this.level = level;
    this.context = context;
    this.protocols = protocols;
  }

  /** No TLS at all ({@code sendmail -bs}, or level none). */
  static ServerTls none() {
    return NONE;
  }

  /** The TLS of the listener whose view {@code config} is; logs why TLS is unavailable. */
  static ServerTls from(Config config, MailLog log) throws ConfigException {
    Level level = level(config);
    if (level == Level.NONE) {
      return NONE;
    }
    String[] protocols = TlsProtocols.parse(config, supported());
    String where = config.listenerPort().isPresent()
        ? " on port " + config.listenerPort().getAsInt() : "";
    SSLContext context;
    try {
      context = context(PemCredentials.load(file(config, Params.SMTPD_TLS_CERT_FILE),
          file(config, Params.SMTPD_TLS_KEY_FILE)));
    } catch (TlsSetupException e) {
      log.warning("cannot use the TLS certificate and key" + where + ": " + e.getMessage()
          + "; STARTTLS is not offered" + (level == Level.ENCRYPT
              ? " and mail is refused (smtpd_tls_security_level = encrypt)" : ""));
      return new ServerTls(level, Optional.empty(), protocols);
    }
    return new ServerTls(level, Optional.of(context), protocols);
  }

  /** Whether the level asks for TLS (STARTTLS is then answered, perhaps with 454). */
  boolean enabled() {
    return level != Level.NONE;
  }

  /** Whether STARTTLS can be done: enabled, and the certificate and key are loaded. */
  boolean available() {
    return context.isPresent();
  }

  /**
   * Under {@code encrypt}, the reply to mail commands before STARTTLS ({@code active}: the
   * session is already TLS): 530 5.7.0, or 454 4.7.0 when TLS is broken here.
   */
  Optional<String> mailRefusal(boolean active) {
    if (level != Level.ENCRYPT || active) {
      return Optional.empty();
    }
    return Optional.of(available() ? Replies.MUST_STARTTLS : Replies.TLS_UNAVAILABLE);
  }

  /**
   * The server side of the handshake over {@code socket}, keeping its read timeout. Bytes
   * the session buffered are not handed to TLS: whatever the client sent before the
   * handshake stays plaintext and is discarded by the session (CVE-2011-0411).
   */
  TlsConnection handshake(Socket socket) throws IOException {
    SSLContext ssl = context.orElseThrow(() -> new IOException("TLS is not available"));
    SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(socket,
        socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    tls.setUseClientMode(false);
    tls.setEnabledProtocols(protocols);
    tls.setWantClientAuth(false);
    tls.setSoTimeout(socket.getSoTimeout());
    tls.startHandshake();
    return new TlsConnection(tls, TlsInfo.of(tls.getSession()));
  }

  /** The protocols the JDK can speak (the default context's list, built once by the JDK). */
  private static Set<String> supported() {
    try {
      return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getProtocols());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no default TLS context", e);
    }
  }

  private static Level level(Config config) throws ConfigException {
    String v = config.get(Params.SMTPD_TLS_SECURITY_LEVEL).strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "none", "" -> Level.NONE;
      case "may" -> Level.MAY;
      case "encrypt" -> Level.ENCRYPT;
      default -> throw config.invalid(Params.SMTPD_TLS_SECURITY_LEVEL, "none, may or encrypt");
    };
  }

  private static Path file(Config config, ConfigKey key) throws TlsSetupException {
    String name = config.get(key).strip();
    if (name.isEmpty()) {
      throw new TlsSetupException(key.name() + " is not set");
    }
    return config.resolve(name);
  }

  private static SSLContext context(PemCredentials credentials) throws TlsSetupException {
    char[] password = "smtpd".toCharArray(); // an in-memory store only; never written
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("smtpd", credentials.key(), password,
          credentials.chain().toArray(Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsSetupException("cannot build the TLS context: " + e.getMessage(), e);
    }
  }
}
