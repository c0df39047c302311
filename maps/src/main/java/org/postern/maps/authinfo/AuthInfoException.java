package org.postern.maps.authinfo;

/**
 * A value of sendmail's authinfo map that cannot be read. The message says what is wrong
 * and never quotes a password. Callers add the file and line, or the key.
 */
public final class AuthInfoException extends Exception {
  private static final long serialVersionUID = 1L;

  public AuthInfoException(String message) {
    super(message);
  }
}
