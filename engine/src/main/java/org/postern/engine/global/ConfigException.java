package org.postern.engine.global;

/**
 * A configuration the mail system cannot start with: missing main.cf, bad value.
 *
 * <p>The message is one line naming the file (and line) or the key; commands print it and
 * exit EX_CONFIG.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
