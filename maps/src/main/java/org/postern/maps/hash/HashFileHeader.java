package org.postern.maps.hash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The first 64 bytes of a compiled {@code hash:} table. MapDB 3.1.0's SortedTableMap owns
 * 0-7 (0x4A, file type 10, zeros) and keeps its size, page count and page size at 16, 24 and
 * 32; its first page's data starts at 64. Our magic, format version, build flags and entry
 * count fill the bytes it leaves unused, 40-63.
 *
 * <p>Trusts nothing it reads: {@link #parse} checks the magic, the version and that the
 * MapDB fields describe a file no longer than the one on disk, so a foreign or damaged file
 * is refused before MapDB sees it. Immutable and thread-safe.
 */
record HashFileHeader(int flags, long entryCount, long pageSize, long pageCount) {
  /** Bytes 40-47; a Berkeley DB file has its own magic at 12 (hash 0x00061561). */
  static final byte[] MAGIC = "PSTNHASH".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int SIZE = 64;
  /** Flag bit: keys were case-folded at build, so lookups fold the query key too. */
  static final int FOLDED_KEYS = 1;

  /** MapDB's file header byte and SortedTableMap's file type, at 0 and 1. */
  private static final int MAPDB_HEADER = 0x4A;
  private static final int MAPDB_SORTED_SINGLE = 10;
  private static final int MAPDB_SIZE_OFFSET = 16;
  private static final int MAPDB_PAGE_COUNT_OFFSET = 24;
  private static final int MAPDB_PAGE_SIZE_OFFSET = 32;
  private static final int MAGIC_OFFSET = 40;
  private static final int VERSION_OFFSET = 48;
  private static final int FLAGS_OFFSET = 52;
  private static final int COUNT_OFFSET = 56;
  /** MapDB's largest page (CC.PAGE_SIZE); SortedTableMap.open refuses larger ones. */
  private static final long MAX_PAGE_SIZE = 1L << 20;

  /** Why a header was refused: not ours at all, or ours but damaged. */
  enum Defect {
    FOREIGN,
    DAMAGED
  }

  /** A header that cannot be ours, or a damaged one of ours. */
  static final class InvalidException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Defect defect;

    InvalidException(Defect defect, String detail) {
      super(detail);
      this.defect = defect;
    }

    Defect defect() {
      return defect;
    }
  }

  boolean foldedKeys() {
    return (flags & FOLDED_KEYS) != 0;
  }

  /** The header of a table: MapDB's fields and ours, zeros elsewhere (big-endian). */
  static HashFileHeader of(boolean foldedKeys, long entryCount, long pageSize, long pageCount) {
    return new HashFileHeader(foldedKeys ? FOLDED_KEYS : 0, entryCount, pageSize, pageCount);
  }

  /** These fields as the file's first {@link #SIZE} bytes. */
  ByteBuffer bytes() {
    ByteBuffer head = ByteBuffer.allocate(SIZE);
    head.put(0, (byte) MAPDB_HEADER);
    head.put(1, (byte) MAPDB_SORTED_SINGLE);
    head.putLong(MAPDB_SIZE_OFFSET, entryCount);
    head.putLong(MAPDB_PAGE_COUNT_OFFSET, pageCount);
    head.putLong(MAPDB_PAGE_SIZE_OFFSET, pageSize);
    head.put(MAGIC_OFFSET, MAGIC);
    head.putInt(VERSION_OFFSET, VERSION);
    head.putInt(FLAGS_OFFSET, flags);
    head.putLong(COUNT_OFFSET, entryCount);
    return head;
  }

  /**
   * Checks the first bytes of a file of {@code fileSize} bytes ({@code head} holds at most
   * {@link #SIZE} of them, big-endian as MapDB writes).
   */
  static HashFileHeader parse(ByteBuffer head, long fileSize) throws InvalidException {
    if (fileSize < SIZE || head.remaining() < SIZE) {
      throw new InvalidException(Defect.FOREIGN, "shorter than a header: " + fileSize + " bytes");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (head.get(MAGIC_OFFSET + i) != MAGIC[i]) {
        throw new InvalidException(Defect.FOREIGN, "no Postern magic");
      }
    }
    if (head.get(0) != MAPDB_HEADER || head.get(1) != MAPDB_SORTED_SINGLE) {
      throw new InvalidException(Defect.DAMAGED, "no MapDB sorted-table header");
    }
    int version = head.getInt(VERSION_OFFSET);
    if (version != VERSION) {
      throw new InvalidException(Defect.FOREIGN, "unknown format version " + version);
    }
    long count = head.getLong(COUNT_OFFSET);
    long pageSize = head.getLong(MAPDB_PAGE_SIZE_OFFSET);
    long pageCount = head.getLong(MAPDB_PAGE_COUNT_OFFSET);
    // An empty table has no page at all: MapDB records page count -1.
    long minPageCount = count == 0 ? -1 : 0;
    if (count < 0 || head.getLong(MAPDB_SIZE_OFFSET) != count) {
      throw new InvalidException(Defect.DAMAGED, "entry counts disagree");
    }
    if (pageSize < SIZE || pageSize > MAX_PAGE_SIZE || Long.bitCount(pageSize) != 1) {
      throw new InvalidException(Defect.DAMAGED, "bad page size " + pageSize);
    }
    // (pageCount + 1) pages must fit in the file; written so that it cannot overflow.
    if (pageCount < minPageCount || pageCount >= fileSize / pageSize) {
      throw new InvalidException(
          Defect.DAMAGED, "truncated: " + (pageCount + 1) + " pages, " + fileSize + " bytes");
    }
    return new HashFileHeader(head.getInt(FLAGS_OFFSET), count, pageSize, pageCount);
  }
}
