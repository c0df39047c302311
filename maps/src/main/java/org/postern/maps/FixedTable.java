package org.postern.maps;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A table held in memory: {@code texthash:} (a source file read at open), {@code inline:}
 * and {@code static:} (every key answers the one value).
 *
 * <p>Trusts entries already parsed and validated by the source readers. Keys fold to lower
 * case when the table was built folded, as hash tables do. Immutable; thread-safe.
 */
public final class FixedTable implements Table {
  private final String name;
  private final Map<String, String> entries;
  private final Optional<String> everyKey;
  private final boolean folded;

  private FixedTable(String name, Map<String, String> entries, Optional<String> everyKey,
      boolean folded) {
    this.name = name;
    this.entries = entries;
    this.everyKey = everyKey;
    this.folded = folded;
  }

  /** A table of the given entries (first occurrence of a key wins). */
  public static FixedTable of(String name, List<Map.Entry<String, String>> entries,
      boolean folded) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries) {
      m.putIfAbsent(folded ? e.getKey().toLowerCase(Locale.ROOT) : e.getKey(), e.getValue());
    }
    return new FixedTable(name, Collections.unmodifiableMap(m), Optional.empty(), folded);
  }

  /** {@code static:value}: every lookup finds {@code value}. */
  public static FixedTable everyKey(String name, String value) {
    return new FixedTable(name, Map.of(), Optional.of(value), false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<String> lookup(String key) {
    if (everyKey.isPresent()) {
      return everyKey;
    }
    return Optional.ofNullable(entries.get(folded ? key.toLowerCase(Locale.ROOT) : key));
  }

  /** Every entry in source order (for dumps). */
  public Map<String, String> entries() {
    return entries;
  }

  @Override
  public void close() {
    // nothing held
  }
}
