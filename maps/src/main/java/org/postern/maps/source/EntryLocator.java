package org.postern.maps.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.maps.LookupException;
import org.postern.maps.Table;

/**
 * Finds where a table's entry is written in its postmap source, {@code FILE:LINE}, for
 * {@code postern explain} and {@code sendmail -bv}; mail itself never pays for it. For a list
 * of tables, the source of the first one that holds the key, the one a lookup used.
 *
 * <p>Trusts nothing in the source: it is read anew on each question, and a source that is
 * gone or unreadable (while its .db still works) answers nothing; so does a member whose
 * lookup fails now. Immutable; thread-safe when the tables are.
 */
public final class EntryLocator {
  /** One table of the list and the source file it was compiled from, if it has one. */
  public record Member(Table table, Optional<Path> source) {}

  private final List<Member> members;

  public EntryLocator(List<Member> members) {
    this.members = List.copyOf(members);
  }

  /** A locator that finds nothing (no table, or none with a source). */
  public static EntryLocator none() {
    return new EntryLocator(List.of());
  }

  /** {@code FILE:LINE} of the entry whose key is {@code key} (lower case), if found. */
  public Optional<String> find(String key) {
    for (Member m : members) {
      try {
        if (m.table().lookup(key).isEmpty()) {
          continue;
        }
      } catch (LookupException e) {
        return Optional.empty(); // the lookup itself would have failed: nothing to point at
      }
      return m.source().flatMap(source -> line(source, key));
    }
    return Optional.empty();
  }

  private static Optional<String> line(Path source, String key) {
    if (!Files.isReadable(source)) {
      return Optional.empty();
    }
    try {
      for (SourceEntry e : PostmapSource.read(source, PostmapSource.Options.DEFAULT)
          .entries()) {
        if (e.key().toLowerCase(Locale.ROOT).equals(key)) {
          return Optional.of(source + ":" + e.line());
        }
      }
    } catch (IOException e) {
      // The source may be gone or unreadable while its .db works: the caller names the key.
    }
    return Optional.empty();
  }
}
