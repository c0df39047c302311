package org.postern.compat.sendmail;

/**
 * When a submitted message is delivered: sendmail's DeliveryMode ({@code -odX},
 * {@code -O DeliveryMode=X}; [OP] 5.6, spec a.5).
 *
 * <p>Only the first character of the value counts ({@code DeliveryMode=background}); an empty
 * value means {@link #INTERACTIVE}, as in sendmail. Any other letter is a usage error
 * ({@code Unknown delivery mode X}). Immutable.
 */
public enum DeliveryMode {
  /** {@code i}: deliver before exiting. Also forced by {@code -v}. */
  INTERACTIVE('i'),
  /** {@code b}: queue, then deliver in the background (default). */
  BACKGROUND('b'),
  /** {@code q}: queue only. */
  QUEUE_ONLY('q'),
  /** {@code d}: queue only and defer map lookups too. */
  DEFERRED('d');

  private final char letter;

  DeliveryMode(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }

  static DeliveryMode ofValue(String value) throws UsageException {
    if (value.isEmpty()) {
      return INTERACTIVE;
    }
    for (DeliveryMode mode : values()) {
      if (mode.letter == value.charAt(0)) {
        return mode;
      }
    }
    throw new UsageException("Unknown delivery mode " + value.charAt(0));
  }
}
