package org.postern.engine.smtpd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's certificate chain and private key, read from PEM files as openssl and
 * Debian's ssl-cert write them (smtpd_tls_cert_file, smtpd_tls_key_file; one file may hold
 * both). The cert file holds the server certificate first, then any intermediates. The key
 * is PKCS#8 ({@code PRIVATE KEY}, RSA or EC), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
 * ({@code EC PRIVATE KEY}); encrypted keys are refused, since a daemon cannot ask for a
 * passphrase (Postfix refuses them too).
 *
 * <p>Trusts nothing in the files: each problem is a TlsSetupException naming the file, and
 * the key is checked to match the certificate (a test signature), so a mismatch is reported
 * at load time rather than as failing handshakes. Immutable.
 */
record PemCredentials(PrivateKey key, List<X509Certificate> chain) {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

  /** One PEM block: its label and its base64 text (RFC 7468), headers included. */
  private record Block(String label, String text) {}

  static PemCredentials load(Path certFile, Path keyFile) throws TlsSetupException {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm());
    checkMatch(key, chain.get(0), certFile, keyFile);
    return new PemCredentials(key, chain);
  }

  private static List<X509Certificate> certificates(Path file) throws TlsSetupException {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.label().equals("CERTIFICATE") || b.label().equals("X509 CERTIFICATE")) {
          chain.add((X509Certificate) factory.generateCertificate(
              new ByteArrayInputStream(decode(file, b))));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException(file + ": bad certificate: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new TlsSetupException(file + ": no PEM certificate (BEGIN CERTIFICATE) found");
    }
    return List.copyOf(chain);
  }

  /** The first private key in the file, decoded as the certificate's key algorithm. */
  private static PrivateKey privateKey(Path file, String algorithm) throws TlsSetupException {
    for (Block b : blocks(file)) {
      byte[] pkcs8;
      switch (b.label()) {
        case "PRIVATE KEY" -> pkcs8 = decode(file, b);
        case "RSA PRIVATE KEY" -> pkcs8 = PrivateKeyDer.fromPkcs1(decode(file, b));
        case "EC PRIVATE KEY" -> pkcs8 = ecKey(file, b);
        case "ENCRYPTED PRIVATE KEY" -> throw encrypted(file);
        default -> {
          continue;
        }
      }
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        throw new TlsSetupException(file + ": cannot read the " + b.label() + " as an "
            + algorithm + " key (the certificate's type): " + e.getMessage(), e);
      }
    }
    throw new TlsSetupException(file + ": no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE "
        + "KEY or EC PRIVATE KEY) found");
  }

  private static byte[] ecKey(Path file, Block b) throws TlsSetupException {
    try {
      return PrivateKeyDer.fromSec1(decode(file, b));
    } catch (TlsSetupException e) {
      throw new TlsSetupException(file + ": " + e.getMessage(), e);
    }
  }

  /** Signs with the key and verifies with the certificate: they belong together. */
  private static void checkMatch(PrivateKey key, X509Certificate cert, Path certFile,
      Path keyFile) throws TlsSetupException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // EdDSA, Ed25519: the key type is the signature name
    };
    byte[] probe = "postern key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert);
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException(keyFile + ": cannot use the private key with the certificate "
          + "in " + certFile + ": " + e.getMessage(), e);
    }
    throw new TlsSetupException(
        keyFile + ": the private key does not match the certificate in " + certFile);
  }

  private static List<Block> blocks(Path file) throws TlsSetupException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new TlsSetupException(file + ": No such file or directory", e);
    } catch (IOException e) {
      throw new TlsSetupException(file + ": cannot read: " + e, e);
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      out.add(new Block(m.group(1), m.group(2)));
    }
    return out;
  }

  /** The block's bytes; an RFC 1421 encrypted block (Proc-Type header) is refused. */
  private static byte[] decode(Path file, Block b) throws TlsSetupException {
    if (b.text().contains("Proc-Type:") || b.text().contains("DEK-Info:")) {
      throw encrypted(file);
    }
    try {
      return Base64.getMimeDecoder().decode(b.text());
    } catch (IllegalArgumentException e) {
      throw new TlsSetupException(file + ": bad base64 in " + b.label() + ": " + e.getMessage(),
          e);
    }
  }

  private static TlsSetupException encrypted(Path file) {
    return new TlsSetupException(file + ": the private key is encrypted; a daemon cannot ask "
        + "for its passphrase (openssl pkey -in KEY -out PLAIN.pem)");
  }
}
