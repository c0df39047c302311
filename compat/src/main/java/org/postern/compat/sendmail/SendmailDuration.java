package org.postern.compat.sendmail;

import java.time.Duration;

/**
 * sendmail's time syntax (convtime.c): digits followed by a unit, repeated, summed.
 *
 * <p>Units are {@code w d h m s}; a number without a unit takes the caller's default unit
 * ({@code m} for {@code -q30}); a leading '-' negates the total. An unknown unit letter is the
 * usage error {@code Invalid time unit `X'}. Deviations: sendmail's special value {@code now}
 * is not accepted (it means nothing for a queue interval), and a total past a long's range of
 * seconds is the usage error {@code Invalid time value `TEXT'} where sendmail's convtime()
 * silently overflows. Stateless; thread-safe.
 */
final class SendmailDuration {
  private SendmailDuration() {}

  static Duration parse(String text, char defaultUnit) throws UsageException {
    try {
      return sum(text, defaultUnit);
    } catch (ArithmeticException e) {
      throw new UsageException("Invalid time value `" + text + "'");
    }
  }

  private static Duration sum(String text, char defaultUnit) throws UsageException {
    boolean negative = text.startsWith("-");
    long total = 0;
    int i = negative ? 1 : 0;
    while (i < text.length()) {
      long number = 0;
      while (i < text.length() && isAsciiDigit(text.charAt(i))) {
        number = Math.addExact(Math.multiplyExact(number, 10), text.charAt(i++) - '0');
      }
      char unit = defaultUnit;
      if (i < text.length()) {
        unit = text.charAt(i++);
        if ("wdhms".indexOf(unit) < 0) {
          throw new UsageException("Invalid time unit `" + unit + "'");
        }
      }
      total = Math.addExact(total, Math.multiplyExact(number, seconds(unit)));
    }
    return Duration.ofSeconds(negative ? -total : total);
  }

  private static long seconds(char unit) {
    return switch (unit) {
      case 'w' -> 7 * 24 * 3600;
      case 'd' -> 24 * 3600;
      case 'h' -> 3600;
      case 'm' -> 60;
      default -> 1;
    };
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
