package org.postern.compat.sendmail;

import java.util.Optional;

/**
 * What one sendmail invocation does: sendmail's OpMode, chosen by argv[0] and then {@code -b}.
 *
 * <p>Each mode keeps sendmail's mode letter (used in messages such as {@code Can not use -q
 * with -bi}). {@code -ba} (ARPANET mode) is taken as {@link #DELIVER} and {@code -bl} as
 * {@link #DAEMON}; {@link #QUEUE_RUN} has no {@code -b} form, only {@code -q} and {@code -Q}
 * reach it. Immutable.
 */
public enum OperationMode {
  DELIVER('m'),
  NEWALIASES('i'),
  PRINT_QUEUE('p'),
  QUEUE_COUNT('P'),
  SMTP_STDIO('s'),
  DAEMON('d'),
  DAEMON_FOREGROUND('D'),
  VERIFY('v'),
  ADDRESS_TEST('t'),
  CHECK_CONFIG('C'),
  HOST_STATUS('h'),
  PURGE_HOST_STATUS('H'),
  QUEUE_RUN('q');

  private final char letter;

  OperationMode(char letter) {
    this.letter = letter;
  }

  /** sendmail's letter for this mode. */
  public char letter() {
    return letter;
  }

  /** The mode selected by {@code -b<letter>}, if sendmail 8.17 accepts that letter. */
  static Optional<OperationMode> ofFlag(char letter) {
    return switch (letter) {
      case 'a' -> Optional.of(DELIVER);
      case 'l' -> Optional.of(DAEMON);
      case 'q' -> Optional.empty();
      default -> {
        for (OperationMode mode : values()) {
          if (mode.letter == letter) {
            yield Optional.of(mode);
          }
        }
        yield Optional.empty();
      }
    };
  }

  /** The initial mode for a program name ([SM8] last paragraph); path prefixes are ignored. */
  static OperationMode ofProgramName(String programName) {
    String base = programName.substring(programName.lastIndexOf('/') + 1);
    // Fedora's alternatives install each MTA's commands as NAME.MTA (mailq.postern).
    if (base.endsWith(".postern")) {
      base = base.substring(0, base.length() - ".postern".length());
    }
    return switch (base) {
      case "newaliases" -> NEWALIASES;
      case "mailq" -> PRINT_QUEUE;
      case "smtpd" -> DAEMON;
      case "hoststat" -> HOST_STATUS;
      case "purgestat" -> PURGE_HOST_STATUS;
      default -> DELIVER;
    };
  }
}
