package org.postern.compat.sendmail;

import java.util.Locale;

/**
 * What a bounce returns, given with {@code -R} (RFC 3461 §4.3 RET; [SM8]).
 *
 * <p>{@code full} or {@code hdrs}, case-insensitive; anything else is the usage error
 * {@code Invalid -R value}. Immutable.
 */
public enum DsnRet {
  FULL,
  HDRS;

  static DsnRet ofValue(String value) throws UsageException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "full" -> FULL;
      case "hdrs" -> HDRS;
      default -> throw new UsageException("Invalid -R value");
    };
  }
}
