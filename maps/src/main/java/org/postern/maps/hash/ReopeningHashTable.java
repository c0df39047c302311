package org.postern.maps.hash;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;

/**
 * A {@code hash:} table for long-lived readers (the daemon) that follows its {@code FILE.db}
 * through every life event without a restart: before each lookup one stat(2) tells whether
 * the path now names another file (created, rebuilt by postmap's rename, removed, replaced by
 * a foreign file), and if so that file is opened and the old mapping dropped.
 *
 * <p>Trusts nothing in a new file ({@link HashTable#open} checks it). A file that cannot be
 * opened (foreign, damaged, unreadable) makes lookups fail temporarily, naming the reason,
 * until the admin rebuilds it: mail waits instead of being answered from a table the admin
 * has replaced. A missing file is an empty table for an {@link Absence#OPTIONAL} table
 * (sendmail's {@code -o} maps: access, virtusertable) and a temporary failure for a
 * {@link Absence#REQUIRED} one. Thread-safe.
 */
public final class ReopeningHashTable implements Table {
  /** What lookups answer while {@code FILE.db} does not exist. */
  public enum Absence {
    /** Nothing: every key is missing. */
    OPTIONAL,
    /** A temporary lookup failure ("no such file"). */
    REQUIRED
  }

  /** What the path named when last looked at. */
  private sealed interface State permits Held, Absent, Refused {}

  private record Held(HashTable table) implements State {}

  private record Absent() implements State {}

  private record Refused(Optional<FileIdentity> seen, TableConfigException why)
      implements State {}

  private final Path dbFile;
  private final String name;
  private final Absence absence;
  private State state;
  private long generation;

  private ReopeningHashTable(Path dbFile, String name, Absence absence) {
    this.dbFile = dbFile;
    this.name = name;
    this.absence = absence;
    this.state = load();
  }

  /**
   * Opens {@code dbFile} as table {@code name}; an OPTIONAL table may not exist yet.
   *
   * @throws TableConfigException the file exists and is foreign, damaged or unreadable, or a
   *     REQUIRED table's file does not exist
   */
  public static ReopeningHashTable open(Path dbFile, String name, Absence absence)
      throws TableConfigException {
    ReopeningHashTable t = new ReopeningHashTable(dbFile, name, absence);
    if (t.state instanceof Refused r) {
      throw r.why();
    }
    return t;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Looks up under the monitor, like the stat before it: a lookup racing a reopen in another
   * thread would otherwise read a table that reopen just closed.
   */
  @Override
  public synchronized Optional<String> lookup(String key) throws LookupException {
    Optional<HashTable> t = fresh();
    return t.isPresent() ? t.get().lookup(key) : Optional.empty();
  }

  /** Every entry of the current file (none while it is absent), for {@code postmap -s}. */
  public synchronized List<Map.Entry<String, String>> entries() throws LookupException {
    Optional<HashTable> t = fresh();
    return t.isPresent() ? t.get().entries() : List.of();
  }

  /**
   * A number that changes exactly when the path comes to name another file, for owners that
   * cache what they derived from {@link #entries} (one stat, as a lookup).
   */
  public synchronized long version() throws LookupException {
    fresh();
    return generation;
  }

  /** The table for the file the path names now (empty while absent), reopening on change. */
  private synchronized Optional<HashTable> fresh() throws LookupException {
    if (changed()) {
      // Safe to close: every lookup runs under this monitor.
      State next = load();
      if (state instanceof Held h) {
        h.table().close();
      }
      state = next;
      generation++;
    }
    if (state instanceof Held h) {
      return Optional.of(h.table());
    }
    if (state instanceof Refused r) {
      // Kept until the path changes, so the next lookup after a rebuild sees the fix.
      throw new LookupException(r.why().getMessage(), r.why());
    }
    return Optional.empty();
  }

  /** One stat(2): whether the path names another file than the state was loaded from. */
  private boolean changed() {
    if (state instanceof Held h) {
      return h.table().isStale();
    }
    try {
      Optional<FileIdentity> now = stat();
      return state instanceof Refused r ? !now.equals(r.seen()) : now.isPresent();
    } catch (IOException e) {
      // Unreadable path: load() names the error and keeps failing until it is readable.
      return true;
    }
  }

  /** The state for what the path names now; never throws (a refusal is a state). */
  private State load() {
    Optional<FileIdentity> seen;
    try {
      seen = stat();
    } catch (IOException e) {
      return new Refused(Optional.empty(),
          new TableConfigException(name + ": " + dbFile + ": " + e.getMessage(), e));
    }
    if (seen.isEmpty() && absence == Absence.OPTIONAL) {
      return new Absent();
    }
    try {
      return new Held(HashTable.open(dbFile, name));
    } catch (TableConfigException e) {
      // Removed or replaced between the stat and the open: the next stat differs, reload.
      return new Refused(seen, e);
    }
  }

  private Optional<FileIdentity> stat() throws IOException {
    try {
      return Optional.of(FileIdentity.of(dbFile));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    if (state instanceof Held h) {
      h.table().close();
    }
  }
}
