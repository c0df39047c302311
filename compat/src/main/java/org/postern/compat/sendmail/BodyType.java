package org.postern.compat.sendmail;

import java.util.Locale;

/**
 * The body type declared with {@code -B} (RFC 6152 BODY=; [SM8]).
 *
 * <p>Matched case-insensitively; anything else is a usage error {@code Illegal body type X},
 * which sendmail reports only after every other option was accepted. Immutable.
 */
public enum BodyType {
  SEVEN_BIT("7BIT"),
  EIGHT_BIT_MIME("8BITMIME");

  private final String keyword;

  BodyType(String keyword) {
    this.keyword = keyword;
  }

  /** The ESMTP keyword, {@code 7BIT} or {@code 8BITMIME}. */
  public String keyword() {
    return keyword;
  }

  static BodyType ofValue(String value) throws UsageException {
    String upper = value.toUpperCase(Locale.ROOT);
    for (BodyType type : values()) {
      if (type.keyword.equals(upper)) {
        return type;
      }
    }
    throw new UsageException("Illegal body type " + value);
  }
}
