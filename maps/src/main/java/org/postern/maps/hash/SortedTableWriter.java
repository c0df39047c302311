package org.postern.maps.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the pages of a MapDB 3.1.0 SortedTableMap of byte-array keys and values, byte for
 * byte as SortedTableMap.createFromSink with Serializer.BYTE_ARRAY writes them into a volume
 * of 64-byte slices (SortedTableWriterTest holds the two side by side), without loading MapDB,
 * Kotlin, Elsa, lz4 or java.util.logging: the writing half of {@link SortedTableReader}.
 *
 * <p>The layout: entries are grouped into nodes of {@code nodeSize}; a node's keys are a block
 * of its count twice then each key as packed length and bytes, its values a block of the count
 * once then each value likewise; nodes fill a page while its node table (count, 2n offsets and
 * an end offset) and blocks stay under the page size; page 0's table starts at 64, after the
 * header ({@link HashFileHeader}: left zero here, the caller writes it last). Trusts its
 * caller: keys ascending as unsigned bytes, a node fits a page (else IOException). Writes
 * sequentially from the channel's position 0. One instance per table; not thread-safe.
 */
final class SortedTableWriter {
  private static final int BATCH_BYTES = 64 * 1024;

  /** Node table overhead: its count and end offset per page, two offsets per node. */
  private static final int TABLE_FIXED = 4 + 4;
  private static final int TABLE_PER_NODE = 8;

  private final FileChannel out;
  private final int pageSize;
  private final int nodeSize;
  /**
   * Completed pages waiting to be written, then the page being filled at {@code pageAt}: one
   * write(2) per 64 KB rather than per page.
   */
  private final byte[] batch;
  private int pageAt;
  private final List<byte[]> pendingKeys = new ArrayList<>();
  private final List<byte[]> pendingValues = new ArrayList<>();
  private final List<byte[]> nodeKeys = new ArrayList<>();
  private final List<byte[]> nodeValues = new ArrayList<>();
  /**
   * The block being serialized: a plain array, not a ByteArrayOutputStream, whose synchronized
   * write per byte cost newaliases a third of its table-writing time before the JIT.
   */
  private byte[] block = new byte[256];
  private int blockLength;
  /** Bytes the current page's table and blocks take, as MapDB counts them. */
  private long used = HashFileHeader.SIZE + TABLE_FIXED;
  /** Bytes of the pages completed so far (written out or waiting in {@code batch}). */
  private long written;
  private long count;

  SortedTableWriter(FileChannel out, int pageSize, int nodeSize) {
    this.out = out;
    this.pageSize = pageSize;
    this.nodeSize = nodeSize;
    this.batch = new byte[Math.max(1, BATCH_BYTES / pageSize) * pageSize];
  }

  /** Adds the next entry (its key above every key before it). */
  void put(byte[] key, byte[] value) throws IOException {
    pendingKeys.add(key);
    pendingValues.add(value);
    count++;
    if (pendingKeys.size() == nodeSize) {
      closeNode();
    }
  }

  /**
   * Writes the last node and page and returns the page count as MapDB's header records it
   * (one less than the pages written: -1 for an empty table, which is its header alone).
   */
  long finish() throws IOException {
    closeNode();
    flushPage();
    writeFully(ByteBuffer.wrap(batch, 0, pageAt));
    if (written == 0) {
      // MapDB's ensureAvailable of the 64 header bytes.
      writeFully(ByteBuffer.wrap(new byte[HashFileHeader.SIZE]));
    }
    return (written - pageSize) / pageSize;
  }

  /** MapDB's pairsToNodes: the pending entries become a node of this page or the next. */
  private void closeNode() throws IOException {
    if (pendingKeys.isEmpty()) {
      return;
    }
    blockLength = 0;
    packInt(pendingKeys.size());
    byte[] keys = serialize(pendingKeys);
    blockLength = 0;
    byte[] values = serialize(pendingValues);
    pendingKeys.clear();
    pendingValues.clear();
    long grown = used + TABLE_PER_NODE + keys.length + values.length;
    if (grown < pageSize) {
      used = grown;
    } else {
      // The node would overflow: the page ends before it, and it opens the next.
      flushPage();
      used = TABLE_FIXED + TABLE_PER_NODE + keys.length + values.length;
    }
    nodeKeys.add(keys);
    nodeValues.add(values);
  }

  /** Appends the entries' count and each as packed length and bytes to {@code block}. */
  private byte[] serialize(List<byte[]> entries) {
    packInt(entries.size());
    for (byte[] e : entries) {
      packInt(e.length);
      room(e.length);
      System.arraycopy(e, 0, block, blockLength, e.length);
      blockLength += e.length;
    }
    return Arrays.copyOf(block, blockLength);
  }

  /** Grows {@code block} to take {@code n} more bytes. */
  private void room(int n) {
    if (blockLength + n > block.length) {
      block = Arrays.copyOf(block, Math.max(2 * block.length, blockLength + n));
    }
  }

  /** MapDB's flushPage: node table, key blocks, value blocks, zeros to the page's end. */
  private void flushPage() throws IOException {
    if (nodeKeys.isEmpty()) {
      return;
    }
    int tableAt = written == 0 ? HashFileHeader.SIZE : 0;
    int slot = tableAt;
    putInt(slot, nodeKeys.size());
    slot += 4;
    int pos = tableAt + TABLE_FIXED + TABLE_PER_NODE * nodeKeys.size();
    for (List<byte[]> blocks : List.of(nodeKeys, nodeValues)) {
      for (byte[] b : blocks) {
        putInt(slot, pos);
        if (pos + b.length > pageSize) {
          throw new IOException("a node of " + b.length + " bytes overflows a page of "
              + pageSize);
        }
        System.arraycopy(b, 0, batch, pageAt + pos, b.length);
        slot += 4;
        pos += b.length;
      }
    }
    putInt(slot, pos);
    Arrays.fill(batch, pageAt + pos, pageAt + pageSize, (byte) 0);
    written += pageSize;
    pageAt += pageSize;
    if (pageAt == batch.length) {
      writeFully(ByteBuffer.wrap(batch));
      pageAt = 0;
    }
    nodeKeys.clear();
    nodeValues.clear();
  }

  private void writeFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      out.write(buf);
    }
  }

  /** Writes {@code value} big-endian at offset {@code at} of the page being filled. */
  private void putInt(int at, int value) {
    batch[pageAt + at] = (byte) (value >>> 24);
    batch[pageAt + at + 1] = (byte) (value >>> 16);
    batch[pageAt + at + 2] = (byte) (value >>> 8);
    batch[pageAt + at + 3] = (byte) value;
  }

  /** MapDB's packInt: 7-bit groups, most significant first, the last one flagged 0x80. */
  private void packInt(int value) {
    room(5);
    int shift = 31 - Integer.numberOfLeadingZeros(value | 1);
    shift -= shift % 7;
    while (shift != 0) {
      block[blockLength++] = (byte) ((value >>> shift) & 0x7F);
      shift -= 7;
    }
    block[blockLength++] = (byte) ((value & 0x7F) | 0x80);
  }
}
