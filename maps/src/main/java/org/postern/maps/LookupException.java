package org.postern.maps;

/**
 * A lookup that could not be answered now (I/O error, NSS or database unreachable). Never
 * means "not found": callers turn it into a temporary failure (Postfix's "4.3.0 table
 * lookup failure").
 */
public final class LookupException extends Exception {
  private static final long serialVersionUID = 1L;

  public LookupException(String message, Throwable cause) {
    super(message, cause);
  }

  public LookupException(String message) {
    super(message);
  }
}
