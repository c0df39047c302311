package org.postern.compat.sendmail;

import java.util.Optional;

/**
 * How submission errors are reported: sendmail's ErrorMode ({@code -oeX}, {@code -e X},
 * {@code -O ErrorMode=X}; [OP] 5.6, spec a.5).
 *
 * <p>Only the first character of the value counts, so {@code ErrorMode=mail} is {@link #MAIL}.
 * Unknown letters are ignored without a message, as sendmail's setoption() does. Immutable.
 */
public enum ErrorMode {
  /** {@code p}: print to stderr (default); dead.letter is written. */
  PRINT('p'),
  /** {@code q}: silent, exit status only. */
  QUIET('q'),
  /** {@code m}: mail errors back to the sender. */
  MAIL('m'),
  /** {@code w}: write to the sender's terminal, or mail if not logged in. */
  WRITE('w'),
  /** {@code e}: mail errors back and always exit 0 (sendmail's "berknet" mode). */
  MAIL_EXIT_ZERO('e');

  private final char letter;

  ErrorMode(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }

  static Optional<ErrorMode> ofValue(String value) {
    for (ErrorMode mode : values()) {
      if (!value.isEmpty() && mode.letter == value.charAt(0)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
