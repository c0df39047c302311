package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed server certificates for the TLS tests, made by the {@code openssl} command as
 * an administrator (or Debian's ssl-cert) makes them, in each key format the server reads;
 * and a client socket factory that trusts exactly such a certificate. Tests are skipped
 * where openssl is not installed.
 */
public final class TestCertificates {
  /** The key encodings openssl writes. */
  public enum KeyFormat {
    /** {@code openssl req -newkey rsa:2048}: PKCS#8 "PRIVATE KEY". */
    RSA_PKCS8,
    /** {@code openssl rsa -traditional}: PKCS#1 "RSA PRIVATE KEY". */
    RSA_PKCS1,
    /** {@code openssl req -newkey ec}: PKCS#8 "PRIVATE KEY" holding an EC key. */
    EC_PKCS8,
    /** {@code openssl ec}: SEC1 "EC PRIVATE KEY". */
    EC_SEC1
  }

  /** A certificate and its key file. */
  public record Pair(Path cert, Path key) {}

  private TestCertificates() {}

  /** Writes {@code NAME-cert.pem} and {@code NAME-key.pem} in {@code dir}. */
  public static Pair create(Path dir, String name, KeyFormat format) throws Exception {
    Path cert = dir.resolve(name + "-cert.pem");
    Path key = dir.resolve(name + "-key.pem");
    boolean ec = format == KeyFormat.EC_PKCS8 || format == KeyFormat.EC_SEC1;
    List<String> req = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey",
        ec ? "ec" : "rsa:2048"));
    if (ec) {
      req.addAll(List.of("-pkeyopt", "ec_paramgen_curve:P-256"));
    }
    req.addAll(List.of("-nodes", "-subj", "/CN=localhost", "-addext",
        "subjectAltName=DNS:localhost", "-days", "2",
        "-keyout", key.toString(), "-out", cert.toString()));
    openssl(req);
    if (format == KeyFormat.RSA_PKCS1) {
      openssl(List.of("openssl", "rsa", "-traditional", "-in", key.toString(),
          "-out", key.toString()));
    } else if (format == KeyFormat.EC_SEC1) {
      openssl(List.of("openssl", "ec", "-in", key.toString(), "-out", key.toString()));
    }
    return new Pair(cert, key);
  }

  /** A client's socket factory that trusts {@code cert} alone. */
  static SSLSocketFactory trusting(Path cert) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("server",
          CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  /** Runs an openssl command; the calling test is skipped where openssl is missing. */
  public static void openssl(List<String> command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "openssl is not installed: " + e.getMessage());
      return;
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
  }
}
