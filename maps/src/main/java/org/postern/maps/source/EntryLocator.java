package org.postern.maps.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds where a table's entry is written in its postmap source, {@code FILE:LINE}, for
 * {@code postern explain} and {@code sendmail -bv}; mail itself never pays for it.
 *
 * <p>Trusts nothing in the source: it is read anew on each question, and a source that is
 * gone or unreadable (while its .db still works) answers nothing. Immutable; thread-safe.
 */
public final class EntryLocator {
  private final Optional<Path> source;

  public EntryLocator(Optional<Path> source) {
    this.source = source;
  }

  /** {@code FILE:LINE} of the entry whose key is {@code key} (lower case), if found. */
  public Optional<String> find(String key) {
    if (source.isEmpty() || !Files.isReadable(source.get())) {
      return Optional.empty();
    }
    try {
      for (SourceEntry e : PostmapSource.read(source.get(), PostmapSource.Options.DEFAULT)
          .entries()) {
        if (e.key().toLowerCase(Locale.ROOT).equals(key)) {
          return Optional.of(source.get() + ":" + e.line());
        }
      }
    } catch (IOException e) {
      // The source may be gone or unreadable while its .db works: the caller names the key.
    }
    return Optional.empty();
  }
}
