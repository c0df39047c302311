package org.postern.engine.smtp;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.postern.engine.smtpd.TestCertificates;

/**
 * A self-signed server certificate for {@code localhost} (made by the server tests'
 * {@link TestCertificates}), as the test SMTP servers use it: a PKCS#12 key store, and the
 * certificate as PEM (for {@code smtp_tls_CAfile}).
 */
record TestCertificate(Path keyStore, Path pem) {
  private static final String PASSWORD = "changeit";

  static TestCertificate create(Path dir) throws Exception {
    TestCertificates.Pair pair =
        TestCertificates.create(dir, "server", TestCertificates.KeyFormat.EC_PKCS8);
    Path ks = dir.resolve("server.p12");
    TestCertificates.openssl(List.of("openssl", "pkcs12", "-export", "-inkey",
        pair.key().toString(), "-in", pair.cert().toString(), "-passout", "pass:" + PASSWORD,
        "-out", ks.toString()));
    return new TestCertificate(ks, pair.cert());
  }

  SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }
}
