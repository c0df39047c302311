package org.postern.maps;

/**
 * A table that cannot be used as configured: unknown type, missing or unreadable file, a
 * compiled file that is not ours (a Berkeley DB left by sendmail or Postfix). The message
 * names the table; commands exit EX_CONFIG, the mail system refuses to start.
 */
public final class TableConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public TableConfigException(String message) {
    super(message);
  }

  public TableConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
