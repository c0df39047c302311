package org.postern.maps.aliases;

import java.util.Objects;

/**
 * One alias as newaliases stores it: the key case-folded (a quoted key keeps its quotes, as
 * sendmail stores it), the value as written (continuation lines joined, see {@link
 * AliasSource}), and the line where the entry starts, for {@code file:line} explanations.
 *
 * <p>Immutable.
 */
public record AliasEntry(String key, String value, int line) {
  public AliasEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
