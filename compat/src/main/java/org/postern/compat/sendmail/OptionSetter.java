package org.postern.compat.sendmail;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Applies {@code -oXvalue} and {@code -O Name=value} the way sendmail's setoption() does, for
 * the options a command-line submission can act on (spec a.5).
 *
 * <p>Acted on: IgnoreDots ({@code i}), ErrorMode ({@code e}), DeliveryMode ({@code d}),
 * AliasFile ({@code A}) and Verbose ({@code v}); long names match case-insensitively.
 * Everything else, including unknown names, goes to the ignored list. Deviation:
 * QueueDirectory ({@code -oQ}) is ignored, as Postfix ignores it: the queue belongs to the
 * instance and its daemon, which would never see mail queued elsewhere; {@code -C} picks
 * the instance. Deviation: sendmail also accepts unambiguous prefixes of long names and
 * complains about unknown ones; Postfix ignores -O entirely, and so do we for unknown names.
 * Only an unknown delivery mode is an error. Not thread-safe (writes into one builder).
 */
final class OptionSetter {
  private static final Map<String, Character> LONG_NAMES = Map.of(
      "ignoredots", 'i',
      "errormode", 'e',
      "deliverymode", 'd',
      "aliasfile", 'A',
      "verbose", 'v');

  private final SendmailOptions.Builder into;

  OptionSetter(SendmailOptions.Builder into) {
    this.into = into;
  }

  /** {@code -o} with its value: the first character names the option. */
  void setShort(String optarg) throws UsageException {
    if (optarg.isEmpty() || !apply(optarg.charAt(0), optarg.substring(1))) {
      into.ignoredOptions.add("-o" + optarg);
    }
  }

  /** {@code -O} with its value {@code Name=value} (spaces around the name allowed). */
  void setLong(String optarg) throws UsageException {
    int eq = optarg.indexOf('=');
    String name = (eq < 0 ? optarg : optarg.substring(0, eq)).strip();
    String value = eq < 0 ? "" : optarg.substring(eq + 1).stripLeading();
    Character letter = LONG_NAMES.get(name.toLowerCase(Locale.ROOT));
    if (letter == null || !apply(letter, value)) {
      into.ignoredOptions.add("-O" + optarg);
    }
  }

  /** Applies one option; false when it is not one we act on. */
  private boolean apply(char letter, String value) throws UsageException {
    switch (letter) {
      case 'i' -> into.ignoreDots = atobool(value);
      case 'v' -> into.verbose = atobool(value);
      case 'd' -> into.deliveryMode = DeliveryMode.ofValue(value);
      case 'e' -> {
        // sendmail ignores an unknown error mode letter without a word.
        Optional<ErrorMode> mode = ErrorMode.ofValue(value);
        mode.ifPresent(m -> into.errorMode = m);
      }
      case 'A' -> into.aliasFiles.add(value.isEmpty() ? "aliases" : value);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** sendmail's atobool(): empty or starting with t, T, y or Y is true. */
  private static boolean atobool(String value) {
    return value.isEmpty() || "tTyY".indexOf(value.charAt(0)) >= 0;
  }
}
