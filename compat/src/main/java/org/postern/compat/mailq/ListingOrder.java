package org.postern.compat.mailq;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.postern.engine.showq.QueueEntry;

/**
 * What {@code postern queue [list]} prints: the layout (the command's mailq_format, or JSON
 * lines), {@code -v}, the filter, and the client's TZ (the zone its times are shown in, see
 * {@link ClientZone}; as for mailq's listings from the daemon, TZ unset means the daemon's
 * zone). The command prints it itself from the files, or sends it to the daemon's showq
 * socket, which prints it there with the same code (its own queue directory heads sendmail's
 * layout) and streams the bytes back.
 *
 * <p>{@link #read} trusts nothing: an unknown layout is an IOException, an unknown zone the
 * daemon's. Immutable.
 */
public record ListingOrder(QueuePrinter.Layout layout, boolean verbose, ListingFilter filter,
    Optional<String> tz) {

  /**
   * Prints the entries the filter admits, in the order's layout; {@code clock} tells the
   * time (backoff marks) and zone (the daemon's: {@link #clock}).
   */
  public void print(PrintStream out, String queueDir, Clock clock, List<QueueEntry> entries) {
    new QueuePrinter(layout, queueDir, clock)
        .print(out, entries.stream().filter(filter::admits).toList(), verbose);
  }

  /** The system clock in the client's zone. */
  public Clock clock() {
    return Clock.system(ClientZone.of(tz));
  }

  public void write(DataOutputStream out) throws IOException {
    out.writeUTF(layout.name());
    out.writeBoolean(verbose);
    filter.write(out);
    out.writeBoolean(tz.isPresent());
    out.writeUTF(tz.orElse(""));
  }

  public static ListingOrder read(DataInputStream in) throws IOException {
    try {
      QueuePrinter.Layout layout = QueuePrinter.Layout.valueOf(in.readUTF());
      boolean verbose = in.readBoolean();
      ListingFilter filter = ListingFilter.read(in);
      boolean hasTz = in.readBoolean();
      String tz = in.readUTF();
      return new ListingOrder(layout, verbose, filter,
          hasTz ? Optional.of(tz) : Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new IOException("showq: bad listing order: " + e.getMessage(), e);
    }
  }
}
