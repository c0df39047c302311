package org.postern.compat.mailq;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.postern.engine.showq.QueueEntry;

/**
 * Which messages {@code postern queue} takes from the whole queue: its {@code --from} and
 * {@code --to} substrings (a {@link QueueFilter}) and {@code --older-than}, an arrival no
 * later than {@code arrivedBy} (epoch ms). The same test selects in the command and, sent
 * with a listing order, in the daemon.
 *
 * <p>{@link #read} trusts nothing: an unknown kind or more than {@link #MAX_CRITERIA}
 * criteria is an IOException. Immutable.
 */
public record ListingFilter(QueueFilter addresses, OptionalLong arrivedBy) {
  public static final ListingFilter NONE = new ListingFilter(QueueFilter.NONE, OptionalLong.empty());

  private static final int MAX_CRITERIA = 1024;

  /** Whether any filter was given. */
  public boolean isEmpty() {
    return addresses.isEmpty() && arrivedBy.isEmpty();
  }

  public boolean admits(QueueEntry e) {
    return addresses.matches(e)
        && (arrivedBy.isEmpty() || e.arrivalMillis() <= arrivedBy.getAsLong());
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(addresses.criteria().size());
    for (QueueFilter.Criterion c : addresses.criteria()) {
      out.writeUTF(c.kind().name());
      out.writeBoolean(c.negated());
      out.writeUTF(c.substring());
    }
    out.writeBoolean(arrivedBy.isPresent());
    out.writeLong(arrivedBy.orElse(0));
  }

  static ListingFilter read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_CRITERIA) {
      throw new IOException("showq: bad criteria count " + n);
    }
    List<QueueFilter.Criterion> criteria = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      QueueFilter.Kind kind;
      try {
        kind = QueueFilter.Kind.valueOf(in.readUTF());
      } catch (IllegalArgumentException e) {
        throw new IOException("showq: unknown criterion", e);
      }
      criteria.add(new QueueFilter.Criterion(kind, in.readBoolean(), in.readUTF()));
    }
    boolean cutoff = in.readBoolean();
    long arrivedBy = in.readLong();
    return new ListingFilter(new QueueFilter(criteria),
        cutoff ? OptionalLong.of(arrivedBy) : OptionalLong.empty());
  }
}
