package org.postern.engine.global;

/**
 * A mail-handling failure that knows whether trying again can help.
 *
 * <p>The two subclasses are the only kinds: {@link TempFailException} (4.x.x, defer) and
 * {@link PermFailException} (5.x.x, bounce). Each carries the DSN status decided where the
 * cause was seen, so callers never re-derive it from message text.
 */
public abstract sealed class MailException extends Exception
    permits TempFailException, PermFailException {
  private static final long serialVersionUID = 1L;
  private final DsnStatus status;

  protected MailException(DsnStatus status, Throwable cause) {
    super(status.text(), cause);
    this.status = status;
  }

  public DsnStatus status() {
    return status;
  }
}
