package org.postern.compat.sendmail;

import java.util.ArrayList;
import java.util.List;

/**
 * sendmail's pre-pass over argv (main.c {@code obsolete()}), run before getopt.
 *
 * <p>A bare {@code -q} becomes {@code -q0} (run the queue once), a bare {@code -Q} becomes
 * {@code -Q.} (release quarantine), a bare {@code -d} becomes {@code -d0-99.1}, a bare
 * {@code -C} becomes {@code -C.}: sendmail reads {@code sendmail.cf} in the current directory,
 * and since our {@code -C} names a configuration directory, we read the current directory's
 * {@code main.cf}. "Bare" means sendmail's own test: the argument is
 * exactly the two characters and the next argument is missing or starts with '-'; otherwise
 * the next argument is the option's value ({@code -q 30m} is an interval). {@code -Q.} and
 * {@code -Q .} are refused. Stops where getopt would. Stateless; thread-safe.
 */
final class ObsoleteArgs {
  private ObsoleteArgs() {}

  static List<String> rewrite(List<String> args, String optstring) throws UsageException {
    List<String> out = new ArrayList<>(args);
    for (int i = 0; i < out.size(); i++) {
      String ap = out.get(i);
      // Return at "--" or at the first non-option. Deviation: sendmail reads past the end of
      // a lone "-" here (undefined behaviour); getopt stops at it, so we stop too.
      if (ap.length() < 2 || ap.charAt(0) != '-' || ap.charAt(1) == '-') {
        break;
      }
      String next = i + 1 < out.size() ? out.get(i + 1) : null;
      char letter = ap.charAt(1);
      if (letter == 'Q' && (ap.startsWith("-Q.") || ".".equals(next))) {
        throw new UsageException("Can not use -Q.");
      }
      // Skip over the separate value of an option that takes one (-d excepted).
      int index = optstring.indexOf(letter);
      boolean takesValue = index >= 0 && index + 1 < optstring.length()
          && optstring.charAt(index + 1) == ':';
      if (takesValue && ap.length() == 2 && letter != 'd' && next != null
          && !next.startsWith("-")) {
        i++;
        continue;
      }
      if (ap.length() == 2) {
        switch (letter) {
          case 'C' -> out.set(i, "-C.");
          case 'q' -> out.set(i, "-q0");
          case 'Q' -> out.set(i, "-Q.");
          case 'd' -> out.set(i, "-d0-99.1");
          default -> {
            // Not one of sendmail's obsolete forms: getopt sees it unchanged.
          }
        }
      }
    }
    return out;
  }
}
