package org.postern.compat.sendmail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.compat.mailq.QueueFilter;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;

/**
 * What the {@code -q} flags of one command line ask of the queue ([SM8], [OP-A]).
 *
 * <p>{@code interval} zero means "run once" ({@code -q}, {@code -q0}, {@code -qf},
 * {@code -qRfoo}); otherwise run every interval ({@code -q30m}, bare numbers are minutes).
 * {@code -qp[time]} is persistent and defaults to one second, as in sendmail. {@code -qL} and
 * {@code -qQ} select lost or quarantined items; {@code -qG} names a queue group. Immutable;
 * the nested {@link Builder} folds flags in command-line order.
 */
public record QueueRun(Duration interval, boolean foreground, boolean persistent,
    Optional<String> group, Selection selection, QueueFilter filter) {

  /** Which queue items a run or listing considers. */
  public enum Selection {
    NORMAL,
    QUARANTINED,
    LOST
  }

  /**
   * Whether a listing or a run takes this message: normally every message the filter
   * selects; with {@code -qQ} only held (quarantined) ones; with {@code -qL} only lost
   * items (corrupt/), which a listing shows but a run never takes, since it runs only
   * deferred mail.
   */
  public boolean selects(QueueEntry e) {
    return switch (selection) {
      case NORMAL -> filter.matches(e);
      case QUARANTINED -> e.state() == QueueState.HOLD && filter.matches(e);
      case LOST -> e.state() == QueueState.CORRUPT && filter.matches(e);
    };
  }

  /** Whether a listing is of the lost items ({@code -qL}) rather than the queue. */
  public boolean listsLost() {
    return selection == Selection.LOST;
  }

  /** True when the queue is to be run once rather than at an interval. */
  public boolean once() {
    return interval.isZero();
  }

  /** Accumulates {@code -q} values; mirrors sendmail main.c's {@code case 'q'}. */
  static final class Builder {
    private Duration interval = Duration.ZERO;
    private boolean foreground;
    private boolean persistent;
    private Optional<String> group = Optional.empty();
    private Selection selection = Selection.NORMAL;
    private final List<QueueFilter.Criterion> criteria = new ArrayList<>();

    /** Folds in the value of one {@code -q} (after the pre-pass: never absent). */
    void add(String value) throws UsageException {
      boolean negate = value.startsWith("!");
      String arg = negate ? value.substring(1) : value;
      String rest = arg.isEmpty() ? "" : arg.substring(1);
      switch (arg.isEmpty() ? '\0' : arg.charAt(0)) {
        case 'G' -> {
          if (negate) {
            throw new UsageException("Can not use -q!G");
          }
          if (group.isPresent()) {
            throw new UsageException("Can not use multiple -qG options");
          }
          group = Optional.of(rest);
        }
        case 'I' -> criteria.add(criterion(QueueFilter.Kind.ID, negate, rest));
        case 'R' -> criteria.add(criterion(QueueFilter.Kind.RECIPIENT, negate, rest));
        case 'S' -> criteria.add(criterion(QueueFilter.Kind.SENDER, negate, rest));
        case 'Q' -> {
          // A bare -qQ lists or runs every quarantined item without a substring test.
          if (!rest.isEmpty()) {
            criteria.add(new QueueFilter.Criterion(QueueFilter.Kind.QUARANTINE, negate, rest));
          }
          selection = Selection.QUARANTINED;
        }
        case 'L' -> selection = Selection.LOST;
        case 'f' -> foreground = true;
        case 'p' -> {
          persistent = true;
          if (interval.isZero()) {
            interval = Duration.ofSeconds(1);
          }
          if (!rest.isEmpty()) {
            setInterval(rest);
          }
        }
        default -> setInterval(arg);
      }
    }

    /**
     * Deviation: {@code -qR!example.com} negates like sendmail's {@code -q!Rexample.com}
     * (people write it that way); sendmail would look for the text "!example.com", which
     * only a UUCP bang path could contain.
     */
    private static QueueFilter.Criterion criterion(QueueFilter.Kind kind, boolean negate,
        String substring) {
      if (!negate && substring.startsWith("!")) {
        return new QueueFilter.Criterion(kind, true, substring.substring(1));
      }
      return new QueueFilter.Criterion(kind, negate, substring);
    }

    private void setInterval(String text) throws UsageException {
      Duration parsed = SendmailDuration.parse(text, 'm');
      if (parsed.isNegative()) {
        throw new UsageException("Invalid -q value");
      }
      interval = parsed;
    }

    QueueRun build() {
      return new QueueRun(interval, foreground, persistent, group, selection,
          new QueueFilter(criteria));
    }
  }
}
