package org.postern.engine.global;

/**
 * A failure that may go away by itself: lock timeout, disk full, unreachable host.
 *
 * <p>Becomes a 4xx SMTP reply, a deferral in the queue, or EX_TEMPFAIL at a command.
 */
public final class TempFailException extends MailException {
  private static final long serialVersionUID = 1L;

  public TempFailException(String dsn, String text) {
    super(new DsnStatus(dsn, text), null);
  }

  public TempFailException(String dsn, String text, Throwable cause) {
    super(new DsnStatus(dsn, text), cause);
  }
}
