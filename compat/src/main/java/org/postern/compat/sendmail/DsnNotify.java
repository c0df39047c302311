package org.postern.compat.sendmail;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * One DSN NOTIFY keyword given with {@code -N} (RFC 3461 §4.1; [OP-A]).
 *
 * <p>{@code -N} takes {@code never} or a comma list of success, failure and delay, all
 * case-insensitive; several {@code -N} flags add up, as in sendmail. An unknown or empty item
 * is the usage error {@code Invalid -N argument}. Immutable.
 */
public enum DsnNotify {
  NEVER,
  SUCCESS,
  FAILURE,
  DELAY;

  /** Adds the keywords of one {@code -N} value to {@code into}. */
  static void addTo(Set<DsnNotify> into, String value) throws UsageException {
    if (value.equalsIgnoreCase("never")) {
      return;
    }
    Set<DsnNotify> found = EnumSet.noneOf(DsnNotify.class);
    for (String item : value.split(",", -1)) {
      switch (item.toLowerCase(Locale.ROOT)) {
        case "success" -> found.add(SUCCESS);
        case "failure" -> found.add(FAILURE);
        case "delay" -> found.add(DELAY);
        default -> throw new UsageException("Invalid -N argument");
      }
    }
    into.addAll(found);
  }
}
