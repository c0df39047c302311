package org.postern.compat.migrate;

/**
 * A sendmail .mc file m4 itself could not read (an unterminated quote or macro call): where
 * it starts ({@code file:line}) and what is wrong; the message is both on one line.
 */
final class McSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String origin;
  private final String problem;

  McSyntaxException(String origin, String problem) {
    super(origin + ": " + problem);
    this.origin = origin;
    this.problem = problem;
  }

  String origin() {
    return origin;
  }

  String problem() {
    return problem;
  }
}
