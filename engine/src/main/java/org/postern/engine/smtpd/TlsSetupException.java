package org.postern.engine.smtpd;

/**
 * The server's TLS certificate or key cannot be used (missing, unreadable, malformed,
 * encrypted, or not matching each other); the message names the file and the reason. The
 * listener then does not offer STARTTLS: a local problem, answered 454 4.7.0.
 */
final class TlsSetupException extends Exception {
  private static final long serialVersionUID = 1L;

  TlsSetupException(String message) {
    super(message);
  }

  TlsSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
