package org.postern.compat.admin;

/**
 * A command line the {@code postern} command cannot run: unknown verb, bad flag, wrong
 * number of arguments, or an argument of the wrong shape. The message is one line naming the
 * problem; the command adds the usage line and exits EX_USAGE.
 */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
