package org.postern.compat.mailq;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import org.postern.engine.showq.QueueEntry;

/**
 * What {@code postern queue [list]} prints: the layout (the command's mailq_format, or JSON
 * lines), {@code -v}, the filter, and the zone its times are shown in. The command prints it
 * itself from the files, or sends it to the daemon's showq socket, which prints it there
 * with the same code (its own queue directory heads sendmail's layout) and streams the bytes
 * back.
 *
 * <p>{@link #read} trusts nothing: an unknown layout or zone is an IOException. Immutable.
 */
public record ListingOrder(QueuePrinter.Layout layout, boolean verbose, ListingFilter filter,
    ZoneId zone) {

  /**
   * Prints the entries the filter admits, in the order's layout; {@code clock} tells the
   * time (backoff marks) and zone (the daemon's is {@code Clock.system(zone())}).
   */
  public void print(PrintStream out, String queueDir, Clock clock, List<QueueEntry> entries) {
    new QueuePrinter(layout, queueDir, clock)
        .print(out, entries.stream().filter(filter::admits).toList(), verbose);
  }

  public void write(DataOutputStream out) throws IOException {
    out.writeUTF(layout.name());
    out.writeBoolean(verbose);
    filter.write(out);
    out.writeUTF(zone.getId());
  }

  public static ListingOrder read(DataInputStream in) throws IOException {
    try {
      QueuePrinter.Layout layout = QueuePrinter.Layout.valueOf(in.readUTF());
      boolean verbose = in.readBoolean();
      ListingFilter filter = ListingFilter.read(in);
      return new ListingOrder(layout, verbose, filter, ZoneId.of(in.readUTF()));
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new IOException("showq: bad listing order: " + e.getMessage(), e);
    }
  }
}
