package org.postern.maps.aliases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postern.maps.hash.HashTableWriter;

/**
 * Compiles a read aliases file into {@code FILE.db}, the {@code hash:} table that alias
 * lookups, {@code praliases} and {@code postmap -q} read: the entries (keys folded, values as
 * written) plus sendmail's {@code @} &rarr; {@code @} entry, which marks a complete database
 * ([OP] 2.6.2; sendmail writes it last, when it closes the map).
 *
 * <p>Trusts the {@link AliasSource.Result} it is given. The table is built into a temp file,
 * fsync'd and renamed over the old one (HashTableWriter), so readers see the old or the new
 * table, never a mix; on failure the old table stays and the IOException propagates. The new
 * file is {@code rw} for its owner plus the read bits the source has (Postfix's rule; sendmail
 * observed 0640 for a 0644 source). Stateless; the caller serialises builds of one file.
 */
public final class AliasDatabase {
  /** sendmail's distinguished entry: a database without it is still being built. */
  public static final String SENTINEL = "@";

  private AliasDatabase() {}

  /** The compiled table of {@code source}: {@code source.db} beside it. */
  public static Path dbFile(Path source) {
    return source.resolveSibling(source.getFileName() + ".db");
  }

  /** Writes {@code source.db} from {@code r}, replacing any existing table atomically. */
  public static void build(Path source, AliasSource.Result r) throws IOException {
    List<Map.Entry<String, String>> entries = new ArrayList<>(r.entries().size() + 1);
    for (AliasEntry e : r.entries()) {
      entries.add(new SimpleImmutableEntry<>(e.key(), e.value()));
    }
    // A name with '@' never reaches the entries (non-local), so the sentinel cannot clash.
    entries.add(new SimpleImmutableEntry<>(SENTINEL, SENTINEL));
    HashTableWriter.write(dbFile(source), entries, true, mode(source));
  }

  private static Set<PosixFilePermission> mode(Path source) throws IOException {
    Set<PosixFilePermission> mode =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    Set<PosixFilePermission> src = Files.getPosixFilePermissions(source);
    if (src.contains(PosixFilePermission.GROUP_READ)) {
      mode.add(PosixFilePermission.GROUP_READ);
    }
    if (src.contains(PosixFilePermission.OTHERS_READ)) {
      mode.add(PosixFilePermission.OTHERS_READ);
    }
    return mode;
  }
}
