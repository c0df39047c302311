package org.postern.maps.hash;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;

/**
 * A {@code hash:} table for long-lived readers (the daemon): before each lookup one stat(2)
 * tells whether postmap renamed a new {@code FILE.db} over the path, and if so the new file
 * is opened and the old mapping dropped, so a rebuild takes effect without a restart.
 *
 * <p>Trusts nothing in the new file ({@link HashTable#open} checks it). A new file that cannot
 * be opened (removed, foreign, damaged) makes lookups fail temporarily, naming the reason,
 * until the admin rebuilds it: mail waits instead of being answered from a table the admin
 * has replaced. Thread-safe.
 */
public final class ReopeningHashTable implements Table {
  private final Path dbFile;
  private final String name;
  private HashTable current;

  /** Wraps {@code first}, already opened from {@code dbFile}. */
  public ReopeningHashTable(HashTable first, Path dbFile) {
    this.current = first;
    this.dbFile = dbFile;
    this.name = first.name();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<String> lookup(String key) throws LookupException {
    return fresh().lookup(key);
  }

  /** Every entry of the current file, for {@code postmap -s}. */
  public List<Map.Entry<String, String>> entries() throws LookupException {
    return fresh().entries();
  }

  /** The table for the file the path names now, reopening it when it changed. */
  private synchronized HashTable fresh() throws LookupException {
    if (current.isStale()) {
      try {
        HashTable reopened = HashTable.open(dbFile, name);
        current.close();
        current = reopened;
      } catch (TableConfigException e) {
        // The old mapping stays stale, so the next lookup tries again and sees a fix.
        throw new LookupException(e.getMessage(), e);
      }
    }
    return current;
  }

  @Override
  public synchronized void close() {
    current.close();
  }
}
