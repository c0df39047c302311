package org.postern.maps.source;

import java.util.Objects;

/**
 * One key and value read from a table source, with the line it came from (the first physical line
 * of a postmap logical line). The key is already case-folded when the reader folds.
 *
 * <p>Immutable.
 */
public record SourceEntry(String key, String value, int line) {
  public SourceEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
