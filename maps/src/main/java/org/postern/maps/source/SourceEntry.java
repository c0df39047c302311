package org.postern.maps.source;

import java.util.Map;
import java.util.Objects;

/**
 * One key and value read from a table source, with the line it came from (the first physical line
 * of a postmap logical line). The key is already case-folded when the reader folds.
 *
 * <p>Immutable. It is a {@link Map.Entry} so a million of them go to the table writer without
 * being copied (building large tables is bounded by heap).
 */
public record SourceEntry(String key, String value, int line) implements Map.Entry<String, String> {
  public SourceEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String getKey() {
    return key;
  }

  @Override
  public String getValue() {
    return value;
  }

  @Override
  public String setValue(String v) {
    throw new UnsupportedOperationException("source entries are immutable");
  }
}
