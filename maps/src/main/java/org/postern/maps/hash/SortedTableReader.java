package org.postern.maps.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;

/**
 * Reads the pages of a table that MapDB 3.1.0's SortedTableMap wrote (byte-array keys and
 * values), by positional reads, without loading MapDB: a lookup reads the pages its binary
 * search visits, where MapDB's open reads the first key of every page (10,000 on 1M entries).
 *
 * <p>The layout, as SortedTableMap.import writes it: page {@code p} spans {@code [p * pageSize,
 * (p + 1) * pageSize)}, page 0's node table starting at 64 (after the file header); a node
 * table is an int count {@code n} and {@code 2n} int offsets from the page start (key blocks,
 * then value blocks); a key block is the count twice, a value block once (MapDB's packed
 * ints), each followed by the entries as packed length and bytes. Keys are ordered as
 * unsigned bytes. Trusts nothing: an offset or length outside its page is an IOException
 * naming the page. Thread-safe (positional reads; first keys cached as they are read).
 */
final class SortedTableReader {
  /** Where page 0's node table starts: MapDB's header and ours come first. */
  private static final int FIRST_PAGE_START = HashFileHeader.SIZE;

  private final FileChannel channel;
  private final int pageSize;
  private final int pages;
  private final AtomicReferenceArray<byte[]> firstKeys;

  /** Reads {@code pageCount + 1} pages of {@code pageSize} (checked by HashFileHeader). */
  SortedTableReader(FileChannel channel, long pageSize, long pageCount) {
    this.channel = channel;
    this.pageSize = (int) pageSize;
    this.pages = (int) (pageCount + 1);
    this.firstKeys = new AtomicReferenceArray<>(pages);
  }

  /** The value stored under {@code key}, or null. */
  byte[] get(byte[] key) throws IOException {
    // The last page whose first key is not above the key (MapDB's pageKeys search).
    int lo = 0;
    int hi = pages - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Arrays.compareUnsigned(firstKey(mid), key) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (hi < 0) {
      return null;
    }
    Page page = page(hi);
    // The last node whose first key is not above the key; then the key in that node.
    lo = 0;
    int last = page.nodes() - 1;
    while (lo <= last) {
      int mid = (lo + last) >>> 1;
      Cursor c = page.keys(mid);
      if (Arrays.compareUnsigned(c.bytes(), key) <= 0) {
        lo = mid + 1;
      } else {
        last = mid - 1;
      }
    }
    if (last < 0) {
      return null;
    }
    Cursor keys = page.keys(last);
    int count = keys.count();
    for (int i = 0; i < count; i++) {
      int order = Arrays.compareUnsigned(keys.bytes(), key);
      if (order == 0) {
        Cursor values = page.values(last);
        values.skip(i);
        return values.bytes();
      }
      if (order > 0) {
        return null;
      }
    }
    return null;
  }

  /** Hands every entry to {@code sink}, in stored (key) order. */
  void forEach(BiConsumer<byte[], byte[]> sink) throws IOException {
    for (int p = 0; p < pages; p++) {
      Page page = page(p);
      for (int n = 0; n < page.nodes(); n++) {
        Cursor keys = page.keys(n);
        Cursor values = page.values(n);
        int count = keys.count();
        for (int i = 0; i < count; i++) {
          sink.accept(keys.bytes(), values.bytes());
        }
      }
    }
  }

  private byte[] firstKey(int p) throws IOException {
    byte[] k = firstKeys.get(p);
    if (k == null) {
      k = page(p).keys(0).bytes();
      firstKeys.set(p, k);
    }
    return k;
  }

  private Page page(int p) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(pageSize);
    long at = (long) p * pageSize;
    while (buf.hasRemaining()) {
      if (channel.read(buf, at + buf.position()) < 0) {
        throw new IOException("page " + p + " is past the end of the file");
      }
    }
    return new Page(p, buf.array(), p == 0 ? FIRST_PAGE_START : 0);
  }

  /** One page's bytes and its node table. */
  private static final class Page {
    private final int index;
    private final byte[] bytes;
    private final int table;
    private final int nodes;

    Page(int index, byte[] bytes, int table) throws IOException {
      this.index = index;
      this.bytes = bytes;
      this.table = table;
      int n = intAt(table);
      if (n <= 0 || table + 4 + 8L * n > bytes.length) {
        throw damaged("node count " + n);
      }
      this.nodes = n;
    }

    int nodes() {
      return nodes;
    }

    /** Node {@code n}'s keys, positioned on the first (both counts read). */
    Cursor keys(int n) throws IOException {
      Cursor c = new Cursor(this, offset(n));
      int count = c.packedInt();
      if (count <= 0 || c.packedInt() != count) {
        throw damaged("key node " + n);
      }
      c.remaining = count;
      return c;
    }

    /** Node {@code n}'s values, positioned on the first. */
    Cursor values(int n) throws IOException {
      Cursor c = new Cursor(this, offset(nodes + n));
      c.remaining = c.packedInt();
      return c;
    }

    private int offset(int slot) throws IOException {
      int at = intAt(table + 4 + 4 * slot);
      if (at < table || at >= bytes.length) {
        throw damaged("offset " + at + " of block " + slot);
      }
      return at;
    }

    private int intAt(int at) {
      return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16
          | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
    }

    IOException damaged(String what) {
      return new IOException("damaged page " + index + ": " + what);
    }
  }

  /** Reads a block's packed counts and length-prefixed entries, bounded by the page. */
  private static final class Cursor {
    private final Page page;
    private int pos;
    private int remaining;

    Cursor(Page page, int pos) {
      this.page = page;
      this.pos = pos;
    }

    int count() {
      return remaining;
    }

    /** The next entry's bytes. */
    byte[] bytes() throws IOException {
      if (remaining-- <= 0) {
        throw page.damaged("block overrun at " + pos);
      }
      int len = packedInt();
      if (len < 0 || len > page.bytes.length - pos) {
        throw page.damaged("entry of " + len + " bytes at " + pos);
      }
      byte[] out = Arrays.copyOfRange(page.bytes, pos, pos + len);
      pos += len;
      return out;
    }

    void skip(int entries) throws IOException {
      for (int i = 0; i < entries; i++) {
        bytes();
      }
    }

    /** MapDB's packInt: 7-bit groups, most significant first, the last one flagged 0x80. */
    int packedInt() throws IOException {
      int value = 0;
      for (int i = 0; i < 5; i++) {
        if (pos >= page.bytes.length) {
          break;
        }
        int b = page.bytes[pos++];
        value = value << 7 | (b & 0x7F);
        if ((b & 0x80) != 0) {
          return value;
        }
      }
      throw page.damaged("packed number at " + pos);
    }
  }
}
