package org.postern.maps;

import java.util.Optional;

/**
 * One open lookup table ({@code type:name}), as Postfix's dict: a key in, the value or
 * nothing out. Keys are matched as the table's type defines (hash tables fold case unless
 * built with -f).
 *
 * <p>Implementations are thread-safe for lookups. A lookup that cannot be answered now
 * throws {@link LookupException} (temporary), never returns empty for it.
 */
public interface Table extends AutoCloseable {
  /** The {@code type:name} the table was opened as, for messages. */
  String name();

  Optional<String> lookup(String key) throws LookupException;

  @Override
  void close();
}
