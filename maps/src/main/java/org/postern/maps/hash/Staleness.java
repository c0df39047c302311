package org.postern.maps.hash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Detects a compiled table older than its source, the classic outage of sendmail and Postfix
 * sites (an admin edits {@code virtual} and forgets {@code postmap}). Wording and rule follow
 * Postfix's {@code dict_db}: "database X.db is older than source file X", only once the source
 * was last changed more than 100 seconds ago, so an edit followed at once by a query (or by
 * postmap) is not noise; {@code postern check} asks the strict question instead.
 *
 * <p>Advisory only: a file that cannot be stat'ed yields no warning (opening the table reports
 * the real error). Stateless and thread-safe; callers warn once per table.
 */
public final class Staleness {
  /** Postfix's grace for a source being edited right now (dict_db.c: "time - 100"). */
  private static final Duration EDIT_GRACE = Duration.ofSeconds(100);

  private Staleness() {}

  /**
   * The warning line (starting {@code warning: }) if {@code source} is newer than {@code db}
   * and was last changed more than 100 seconds before {@code now}.
   */
  public static Optional<String> staleWarning(Path source, Path db, Instant now) {
    try {
      FileTime edited = Files.getLastModifiedTime(source);
      if (newerSource(source, db) && edited.toInstant().isBefore(now.minus(EDIT_GRACE))) {
        return Optional.of(warning(source, db));
      }
    } catch (IOException e) {
      // Missing or unreadable: nothing to compare; the open of the table names the problem.
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The warning line itself, for a caller that decided by {@link #newerSource}. */
  public static String warning(Path source, Path db) {
    return "warning: database " + db + " is older than source file " + source;
  }

  /** Whether {@code source} was changed after {@code db} was written, however recently. */
  public static boolean newerSource(Path source, Path db) throws IOException {
    return Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(db)) > 0;
  }
}
