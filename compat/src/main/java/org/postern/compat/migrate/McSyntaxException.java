package org.postern.compat.migrate;

/**
 * A sendmail .mc file m4 itself could not read (an unterminated quote or macro call); the
 * message is one line naming the file and line.
 */
final class McSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  McSyntaxException(String message) {
    super(message);
  }
}
