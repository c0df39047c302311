package org.postern.engine.global;

/**
 * A failure that repeating cannot fix: unknown user, mailbox not a regular file.
 *
 * <p>Becomes a 5xx SMTP reply, a bounce, or the matching sysexits code at a command.
 */
public final class PermFailException extends MailException {
  private static final long serialVersionUID = 1L;

  public PermFailException(String dsn, String text) {
    super(new DsnStatus(dsn, text), null);
  }

  public PermFailException(String dsn, String text, Throwable cause) {
    super(new DsnStatus(dsn, text), cause);
  }
}
