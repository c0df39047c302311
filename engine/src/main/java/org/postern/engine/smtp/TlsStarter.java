package org.postern.engine.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side of STARTTLS (RFC 3207) with the JDK's TLS: wraps a connected socket, runs
 * the handshake within the STARTTLS timeout, and judges the server certificate by the level:
 * at {@code may} and {@code encrypt} any certificate is accepted (and only logged as Trusted or
 * Untrusted); at {@code verify} it must chain to the trust anchors (the JDK's, or only those of
 * {@code smtp_tls_CAfile}, PEM) and name the server (RFC 6125, the MX host name).
 *
 * <p>Any handshake failure is a {@link Failure}; the caller decides between plaintext
 * fallback and deferral. Thread-safe: each handshake gets its own SSLContext.
 */
final class TlsStarter {
  /** The handshake failed; {@code certificateRejected} when the verify level refused it. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean certificateRejected;

    Failure(String message, boolean certificateRejected, Throwable cause) {
      super(message, cause);
      this.certificateRejected = certificateRejected;
    }

    boolean certificateRejected() {
      return certificateRejected;
    }
  }

  private final X509ExtendedTrustManager anchors;

  private TlsStarter(X509ExtendedTrustManager anchors) {
    this.anchors = anchors;
  }

  /** Trusts the CA file's certificates when given, else the JDK's default trust store. */
  static TlsStarter create(Optional<Path> caFile) throws IOException, GeneralSecurityException {
    KeyStore store = null;
    if (caFile.isPresent()) {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in = Files.newInputStream(caFile.get())) {
        int n = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca" + n++, c);
        }
        if (n == 0) {
          throw new CertificateException("no certificate in " + caFile.get());
        }
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return new TlsStarter(x);
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager in this JDK");
  }

  /** Runs the handshake over {@code plain} (after the server's 220 to STARTTLS). */
  TlsSession start(Socket plain, Endpoint server, TlsLevel level, long timeoutMillis)
      throws Failure {
    Judge judge = new Judge(anchors, level == TlsLevel.VERIFY);
    SSLSocket tls;
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {judge}, null);
      tls =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(plain, server.hostname(), server.port(), true);
    } catch (GeneralSecurityException | IOException e) {
      throw new Failure("cannot set up TLS: " + e.getMessage(), false, e);
    }
    try {
      SSLParameters params = tls.getSSLParameters();
      serverName(server.hostname()).ifPresent(sni -> params.setServerNames(List.of(sni)));
      if (level == TlsLevel.VERIFY) {
        params.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 6125 name check
      }
      tls.setSSLParameters(params);
      tls.setUseClientMode(true);
      tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
      tls.startHandshake();
      return new TlsSession(
          tls,
          trust(tls, judge, level),
          tls.getSession().getProtocol(),
          tls.getSession().getCipherSuite(),
          bits(tls.getSession().getCipherSuite()));
    } catch (IOException e) {
      throw new Failure(String.valueOf(e.getMessage()), judge.rejected, e);
    }
  }

  private static TlsSession.Trust trust(SSLSocket tls, Judge judge, TlsLevel level) {
    try {
      tls.getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return TlsSession.Trust.ANONYMOUS; // no certificate at all (anonymous cipher)
    }
    if (!judge.chainValid) {
      return TlsSession.Trust.UNTRUSTED;
    }
    return level == TlsLevel.VERIFY ? TlsSession.Trust.VERIFIED : TlsSession.Trust.TRUSTED;
  }

  /** SNI (RFC 6066 §3) for a DNS host name; none for an address literal. */
  private static Optional<SNIHostName> serverName(String host) {
    if (host.isEmpty() || host.startsWith("[") || host.matches("[0-9.]+|.*:.*")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SNIHostName(host.endsWith(".") ? host.substring(0, host.length() - 1)
          : host));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a name SNI can carry: send none, as for an address
    }
  }

  /** Key bits of the cipher, from its name (the JDK does not report them). */
  static int bits(String suite) {
    if (suite.contains("AES_256") || suite.contains("CHACHA20")) {
      return 256;
    }
    if (suite.contains("AES_128")) {
      return 128;
    }
    if (suite.contains("3DES")) {
      return 168;
    }
    return 0;
  }

  /**
   * Checks the server chain against the anchors and remembers the verdict; throws (failing
   * the handshake) only when enforcing. One per handshake.
   */
  private static final class Judge extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager anchors;
    private final boolean enforce;
    private volatile boolean chainValid;
    private volatile boolean rejected;

    Judge(X509ExtendedTrustManager anchors, boolean enforce) {
      this.anchors = anchors;
      this.enforce = enforce;
    }

    /** One of the trust manager's checks, as {@link #judge} runs it. */
    private interface Check {
      void run() throws CertificateException;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      judge(() -> anchors.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      judge(() -> anchors.checkServerTrusted(chain, authType, engine));
    }

    /** Records whether the chain is valid; refuses it only when the level enforces it. */
    private void judge(Check check) throws CertificateException {
      try {
        check.run();
        chainValid = true;
      } catch (CertificateException e) {
        if (enforce) {
          rejected = true;
          throw e;
        }
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      // Never called for sockets: the JDK uses the Socket overload, which can check names.
      throw new CertificateException("server check without a connection");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("this is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("this is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("this is a client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
