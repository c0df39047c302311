package org.postern.engine.showq;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * A queue listing on the showq socket (Postfix's showq service): mailq asks for the queue or
 * its lost items, the daemon, which can read the queue, scans it for a user who cannot, and
 * sends the entries; mailq prints them. {@code postern queue} asks the daemon to PRINT
 * instead: its order (what to select, in which layout) follows the request, and the answer's
 * header is followed by the printed bytes ({@link ListingStream}), which it copies to stdout.
 *
 * <p>{@link #read} and {@link #readRequest} trust nothing: a bad version, request, id, state
 * or count is an IOException. Stateless.
 */
public final class QueueListing {
  private static final String VERSION = "postern-showq 2";
  private static final int MAX_ENTRIES = 10_000_000;
  private static final int MAX_RECIPIENTS = 1_000_000;

  /**
   * What a client asks for: the queue's entries, corrupt/'s lost items ({@code mailq -qL}),
   * or the queue printed by the daemon (the order follows; its answer is a {@link
   * ListingStream}).
   */
  public enum Request {
    QUEUE,
    LOST,
    PRINT
  }

  private QueueListing() {}

  /** The client's side: the one request a connection carries (PRINT: its order follows). */
  public static void writeRequest(DataOutputStream out, Request request) throws IOException {
    out.writeUTF(VERSION);
    out.writeUTF(request.name());
  }

  /** The daemon's side: what the peer asks for. */
  public static Request readRequest(DataInputStream in) throws IOException {
    if (!in.readUTF().equals(VERSION)) {
      throw new IOException("showq: unknown request version");
    }
    String name = in.readUTF();
    for (Request r : Request.values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new IOException("showq: unknown request");
  }

  /** A refusal: the peer may not see the queue (authorized_mailq_users). */
  public static void writeRefusal(DataOutputStream out) throws IOException {
    out.writeUTF(VERSION);
    out.writeBoolean(false);
    out.flush();
  }

  /** The header of a PRINT answer the peer may see; the {@link ListingStream} follows. */
  public static void writeAccepted(DataOutputStream out) throws IOException {
    out.writeUTF(VERSION);
    out.writeBoolean(true);
  }

  /** A PRINT answer's header: whether the daemon lists the queue for us (false: refused). */
  public static boolean readAccepted(DataInputStream in) throws IOException {
    if (!in.readUTF().equals(VERSION)) {
      throw new IOException("showq: unknown listing version");
    }
    return in.readBoolean();
  }

  public static void write(DataOutputStream out, List<QueueEntry> entries) throws IOException {
    writeAccepted(out);
    out.writeInt(entries.size());
    for (QueueEntry e : entries) {
      out.writeUTF(e.id().value());
      out.writeUTF(e.state().name());
      out.writeLong(e.size());
      out.writeLong(e.bodySize());
      out.writeLong(e.arrivalMillis());
      out.writeInt(e.uid());
      out.writeUTF(e.login());
      out.writeUTF(e.sender());
      out.writeUTF(e.bodyType());
      out.writeUTF(e.precedence());
      out.writeInt(e.recipientCount());
      out.writeInt(e.pending().size());
      for (QueueEntry.Pending p : e.pending()) {
        out.writeUTF(p.address());
        writeOptional(out, p.deferReason());
      }
      out.writeInt(e.attempts());
      out.writeLong(e.nextAttemptMillis());
      out.writeBoolean(e.delayWarned());
      writeOptional(out, e.lastReason());
    }
    out.flush();
  }

  /** The entries, or empty when the daemon refused to list the queue for us. */
  public static Optional<List<QueueEntry>> read(DataInputStream in) throws IOException {
    if (!readAccepted(in)) {
      return Optional.empty();
    }
    int n = count(in, MAX_ENTRIES);
    List<QueueEntry> entries = new ArrayList<>(Math.min(n, 1024));
    try {
      for (int i = 0; i < n; i++) {
        QueueId id = new QueueId(in.readUTF());
        QueueState state = QueueState.valueOf(in.readUTF());
        long size = in.readLong();
        long bodySize = in.readLong();
        long arrival = in.readLong();
        int uid = in.readInt();
        String login = in.readUTF();
        String sender = in.readUTF();
        String bodyType = in.readUTF();
        String precedence = in.readUTF();
        int recipientCount = in.readInt();
        int m = count(in, MAX_RECIPIENTS);
        List<QueueEntry.Pending> pending = new ArrayList<>(Math.min(m, 1024));
        for (int j = 0; j < m; j++) {
          pending.add(new QueueEntry.Pending(in.readUTF(), readOptional(in)));
        }
        entries.add(new QueueEntry(id, state, size, bodySize, arrival, uid, login, sender,
            bodyType, precedence, recipientCount, pending, in.readInt(), in.readLong(),
            in.readBoolean(), readOptional(in)));
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("showq: bad entry: " + e.getMessage(), e);
    }
    return Optional.of(entries);
  }

  private static int count(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new IOException("showq: bad count " + n);
    }
    return n;
  }

  private static void writeOptional(DataOutputStream out, Optional<String> s) throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      out.writeUTF(s.get());
    }
  }

  private static Optional<String> readOptional(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
  }
}
