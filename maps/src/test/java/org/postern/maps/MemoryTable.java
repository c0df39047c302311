package org.postern.maps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Table} held in memory for tests of lookup semantics: keys folded to lower case as a
 * hash table built without -f folds them, and every key asked recorded exactly as passed, so
 * a test can pin lookup orders (and that callers fold keys themselves).
 *
 * <p>{@link #failingOn} makes one key fail as an unreachable table would. Not thread-safe.
 */
public final class MemoryTable implements Table {
  private final Map<String, String> entries = new HashMap<>();
  private final List<String> asked = new ArrayList<>();
  private Optional<String> failingKey = Optional.empty();

  public MemoryTable(Map<String, String> entries) {
    entries.forEach((k, v) -> this.entries.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
  }

  /** A table with the entries {@code key1, value1, key2, value2, ...}. */
  public static MemoryTable of(String... keysAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new MemoryTable(map);
  }

  /** This table, made to throw {@link LookupException} when {@code key} is asked. */
  public MemoryTable failingOn(String key) {
    failingKey = Optional.of(key);
    return this;
  }

  /** Every key asked so far, in order, as the caller passed it. */
  public List<String> asked() {
    return List.copyOf(asked);
  }

  @Override
  public String name() {
    return "memory:test";
  }

  @Override
  public Optional<String> lookup(String key) throws LookupException {
    asked.add(key);
    if (failingKey.filter(key::equals).isPresent()) {
      throw new LookupException("memory:test: simulated failure for " + key);
    }
    return Optional.ofNullable(entries.get(key.toLowerCase(Locale.ROOT)));
  }

  @Override
  public void close() {
    // Nothing to release: the entries are on the heap.
  }
}
