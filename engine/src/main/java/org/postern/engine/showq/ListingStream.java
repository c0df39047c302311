package org.postern.engine.showq;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The bytes of a listing the daemon printed itself ({@link QueueListing.Request#PRINT}), on
 * the showq socket after the answer's header: chunks of {@code int n} (1 to {@link
 * #MAX_CHUNK}) and n bytes, then {@code int 0}. The end marker tells a complete listing from
 * one cut short, so a client never passes a truncated listing off as the queue.
 *
 * <p>{@link Writer} buffers at most one chunk; {@link #copy} holds one chunk at a time and
 * trusts nothing: a length out of range or a stream that ends before the marker is an
 * IOException. Not thread-safe.
 */
public final class ListingStream {
  /** Largest chunk either side accepts. */
  public static final int MAX_CHUNK = 1 << 16;

  private ListingStream() {}

  /** The daemon's side: bytes written are sent in chunks; {@link #end} completes them. */
  public static final class Writer extends OutputStream {
    private final DataOutputStream out;
    private final byte[] buf = new byte[MAX_CHUNK];
    private int used;

    public Writer(DataOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (used == buf.length) {
        send();
      }
      buf[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (used == buf.length) {
          send();
        }
        int n = Math.min(len, buf.length - used);
        System.arraycopy(b, off, buf, used, n);
        used += n;
        off += n;
        len -= n;
      }
    }

    /** Sends what is buffered and the end marker. */
    public void end() throws IOException {
      send();
      out.writeInt(0);
      out.flush();
    }

    private void send() throws IOException {
      if (used > 0) {
        out.writeInt(used);
        out.write(buf, 0, used);
        used = 0;
      }
    }
  }

  /** The client's side: copies every chunk to {@code to} as it comes, up to the end marker. */
  public static void copy(DataInputStream in, OutputStream to) throws IOException {
    byte[] buf = new byte[MAX_CHUNK];
    for (int n = in.readInt(); n != 0; n = in.readInt()) {
      if (n < 0 || n > MAX_CHUNK) {
        throw new IOException("showq: bad chunk length " + n);
      }
      in.readFully(buf, 0, n);
      to.write(buf, 0, n);
    }
  }
}
