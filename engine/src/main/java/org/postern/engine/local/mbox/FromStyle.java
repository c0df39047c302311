package org.postern.engine.local.mbox;

/**
 * The spelling of the mbox envelope ("From_") line.
 *
 * <p>{@link #POSTFIX} is what Postfix local(8) and procmail write, two spaces before the date;
 * it is the default for every mailbox. {@link #SENDMAIL} is mail.local's one space, used where
 * we imitate sendmail itself, i.e. {@code ~/dead.letter} (compat spec a.8).
 */
public enum FromStyle {
  POSTFIX("  "),
  SENDMAIL(" ");

  private final String separator;

  FromStyle(String separator) {
    this.separator = separator;
  }

  /** What goes between the sender and the date. */
  String separator() {
    return separator;
  }
}
