package org.postern.maps.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;

/**
 * An open compiled {@code hash:} table ({@code FILE.db} written by {@link HashTableWriter}),
 * read through its own file descriptor by {@link SortedTableReader} (MapDB is not loaded).
 *
 * <p>Trusts nothing in the file until its header is checked: a Berkeley DB left by sendmail or
 * Postfix, any other foreign file, an empty file or a truncated table of ours is refused with a
 * {@link TableConfigException} (permanent: the admin must run postmap). A lookup that finds a
 * damaged page is a {@link LookupException} (temporary). The descriptor is private to this
 * object, so a rebuild (rename-over) never disturbs it: this object keeps answering the old
 * contents; {@link #isStale} tells the owner to reopen. {@link #close} closes the descriptor;
 * an owner that other threads may still be reading from drops the object instead, and the
 * garbage collector closes it. Thread-safe for lookups.
 */
public final class HashTable implements Table {
  private final String name;
  private final Path file;
  private final FileIdentity identity;
  private final HashFileHeader header;
  private final FileChannel channel;
  private final SortedTableReader reader;
  private volatile boolean closed;

  private HashTable(
      String name,
      Path file,
      FileIdentity identity,
      HashFileHeader header,
      FileChannel channel) {
    this.name = name;
    this.file = file;
    this.identity = identity;
    this.header = header;
    this.channel = channel;
    this.reader = new SortedTableReader(channel, header.pageSize(), header.pageCount());
  }

  /**
   * Opens {@code dbFile} for lookups as table {@code name} (e.g. {@code hash:/etc/aliases}).
   *
   * @throws TableConfigException missing, unreadable, foreign or damaged file; the message
   *     names the file
   */
  public static HashTable open(Path dbFile, String name) throws TableConfigException {
    try {
      // Identity before the open: a rename in between makes isStale() true, never hides one.
      FileIdentity identity = FileIdentity.of(dbFile);
      FileChannel ch = FileChannel.open(dbFile, StandardOpenOption.READ);
      try {
        HashFileHeader header = HashFileHeader.parse(readHead(ch), ch.size());
        return new HashTable(name, dbFile, identity, header, ch);
      } catch (IOException | HashFileHeader.InvalidException | RuntimeException e) {
        ch.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      throw new TableConfigException(name + ": " + dbFile + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new TableConfigException(name + ": " + dbFile + ": permission denied", e);
    } catch (IOException e) {
      throw new TableConfigException(name + ": " + dbFile + ": " + e.getMessage(), e);
    } catch (HashFileHeader.InvalidException e) {
      throw new TableConfigException(refusal(dbFile, e), e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<String> lookup(String key) throws LookupException {
    if (closed) {
      throw new IllegalStateException("lookup in closed table " + name);
    }
    if (header.entryCount() == 0) {
      return Optional.empty();
    }
    String query = header.foldedKeys() ? key.toLowerCase(Locale.ROOT) : key;
    byte[] value;
    try {
      value = reader.get(query.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The header was valid, so the file is corrupt inside or unreadable: temporary
      // ("table lookup failure").
      throw new LookupException(name + ": lookup failed in " + file + ": " + e, e);
    }
    return value == null
        ? Optional.empty()
        : Optional.of(new String(value, StandardCharsets.UTF_8));
  }

  /** Every entry in stored order (unsigned UTF-8 key order), for {@code postmap -s}. */
  public List<Map.Entry<String, String>> entries() throws LookupException {
    List<Map.Entry<String, String>> all = new ArrayList<>();
    if (header.entryCount() == 0) {
      // An empty table has no page at all.
      return all;
    }
    try {
      reader.forEach((k, v) -> all.add(new AbstractMap.SimpleImmutableEntry<>(
          new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8))));
    } catch (IOException e) {
      // As in lookup: damaged inside, reported as a temporary failure naming the file.
      throw new LookupException(name + ": reading " + file + " failed: " + e, e);
    }
    return all;
  }

  /** Number of entries, from the header. */
  public long size() {
    return header.entryCount();
  }

  /** Whether keys were folded at build (so lookups fold the query key). */
  public boolean foldedKeys() {
    return header.foldedKeys();
  }

  /**
   * Whether the path now names another file than the one mapped (rebuilt, removed or
   * unreadable): one stat(2), cheap enough to call before each batch of lookups.
   */
  public boolean isStale() {
    try {
      return !FileIdentity.of(file).equals(identity);
    } catch (IOException e) {
      // Gone or unreadable: the owner's reopen reports the real error.
      return true;
    }
  }

  /** Marks the table closed and closes its descriptor. */
  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // Read-only descriptor: nothing was pending, nothing is lost.
    }
  }

  private static ByteBuffer readHead(FileChannel ch) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HashFileHeader.SIZE);
    while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
      // Keep reading: a short read is legal.
    }
    return head.flip();
  }

  /** The admin-facing refusal; FILE is the source path, i.e. the .db name without ".db". */
  static String refusal(Path dbFile, HashFileHeader.InvalidException e) {
    String db = dbFile.toString();
    String source = db.endsWith(".db") ? db.substring(0, db.length() - 3) : db;
    if (e.defect() == HashFileHeader.Defect.FOREIGN) {
      return db + " is not a Postern table: run postmap " + source;
    }
    return db + " is a damaged Postern table (" + e.getMessage() + "): run postmap " + source;
  }
}
