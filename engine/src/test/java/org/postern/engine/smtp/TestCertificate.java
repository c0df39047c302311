package org.postern.engine.smtp;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate for {@code localhost}, made with openssl (or the JDK's
 * keytool) in a temporary directory: the key store for the test server and the certificate
 * as PEM (for {@code smtp_tls_CAfile}).
 */
record TestCertificate(Path keyStore, Path pem) {
  private static final String PASSWORD = "changeit";

  static TestCertificate create(Path dir) throws Exception {
    Path ks = dir.resolve("server.p12");
    Path pem = dir.resolve("ca.pem");
    if (Files.isExecutable(Path.of("/usr/bin/openssl"))) {
      // openssl is much faster than keytool, which starts two more JVMs.
      Path key = dir.resolve("key.pem");
      run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
          "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost", "-addext",
          "subjectAltName=DNS:localhost", "-days", "2", "-keyout", key.toString(), "-out",
          pem.toString()));
      run(List.of("openssl", "pkcs12", "-export", "-inkey", key.toString(), "-in",
          pem.toString(), "-passout", "pass:" + PASSWORD, "-out", ks.toString()));
      return new TestCertificate(ks, pem);
    }
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(List.of(keytool, "-genkeypair", "-alias", "mx", "-keyalg", "EC", "-groupname",
        "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
        "-keypass", PASSWORD));
    run(List.of(keytool, "-exportcert", "-rfc", "-alias", "mx", "-keystore", ks.toString(),
        "-storepass", PASSWORD, "-file", pem.toString()));
    return new TestCertificate(ks, pem);
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

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command.get(1) + " failed: " + output);
    }
  }
}
