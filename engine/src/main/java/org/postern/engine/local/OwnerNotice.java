package org.postern.engine.local;

import java.util.List;
import org.postern.engine.bounce.RecipientReport;

/**
 * A failure notice for a list's owner ({@code owner-LIST}): who gets it and the destinations
 * of the list that failed. The owner hears of them instead of the sender.
 *
 * <p>Checks only that there is something to report. Immutable.
 */
public record OwnerNotice(String owner, List<RecipientReport> reports) {
  public OwnerNotice {
    reports = List.copyOf(reports);
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("a notice to " + owner + " without recipients");
    }
  }
}
