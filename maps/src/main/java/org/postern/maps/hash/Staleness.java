package org.postern.maps.hash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Detects a compiled table older than its source, the classic outage of sendmail and Postfix
 * sites (an admin edits {@code virtual} and forgets {@code postmap}). Wording follows Postfix's
 * {@code dict_open}: "database X.db is older than source file X".
 *
 * <p>Advisory only: a file that cannot be stat'ed yields no warning (opening the table reports
 * the real error). Stateless and thread-safe; callers warn once per table.
 */
public final class Staleness {
  private Staleness() {}

  /** The warning line (starting {@code warning: }) if {@code source} is newer than {@code db}. */
  public static Optional<String> staleWarning(Path source, Path db) {
    try {
      if (Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(db)) > 0) {
        return Optional.of(
            "warning: database " + db + " is older than source file " + source);
      }
    } catch (IOException e) {
      // Missing or unreadable: nothing to compare; the open of the table names the problem.
      return Optional.empty();
    }
    return Optional.empty();
  }
}
