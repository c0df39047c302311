package org.postern.engine.smtpd;

/**
 * A command refused with the given reply (syntax, sequence or parameter errors), thrown by
 * the command handlers and answered in one place. Not a failure of the server.
 */
final class RefusedCommand extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reply;

  RefusedCommand(String reply) {
    super(reply, null, false, false);
    this.reply = reply;
  }

  String reply() {
    return reply;
  }
}
