package org.postern.compat.mailq;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;

/**
 * The queue selection of {@code -q[!]I/R/S/Q substr} ([OP-A]; sendmail queue.c gatherq()).
 *
 * <p>A criterion holds when its substring occurs in the field, or, negated ({@code !}), when it
 * does not. Criteria of the same kind are OR-ed, different kinds AND-ed. Queue ids and
 * quarantine reasons match case-sensitively, senders and recipients case-insensitively, as in
 * sendmail. A recipient criterion holds if it holds for any one recipient; a message with no
 * recipients, or not quarantined, fails the recipient or quarantine kind. Immutable.
 */
public record QueueFilter(List<Criterion> criteria) {
  /** Which field of a queued message a criterion looks at. */
  public enum Kind {
    /** {@code -qI}: the queue id. */
    ID,
    /** {@code -qR}: any one envelope recipient. */
    RECIPIENT,
    /** {@code -qS}: the envelope sender. */
    SENDER,
    /** {@code -qQ}: the quarantine reason. */
    QUARANTINE
  }

  /** One {@code -q[!]Xsubstr} flag. */
  public record Criterion(Kind kind, boolean negated, String substring) {}

  public static final QueueFilter NONE = new QueueFilter(List.of());

  public QueueFilter {
    criteria = List.copyOf(criteria);
  }

  public boolean isEmpty() {
    return criteria.isEmpty();
  }

  /** Whether a queued message with these fields is selected. */
  public boolean matches(String queueId, String sender, List<String> recipients,
      Optional<String> quarantineReason) {
    Map<Kind, List<Criterion>> byKind = new EnumMap<>(Kind.class);
    for (Criterion c : criteria) {
      byKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c);
    }
    for (Map.Entry<Kind, List<Criterion>> group : byKind.entrySet()) {
      List<String> values = switch (group.getKey()) {
        case ID -> List.of(queueId);
        case SENDER -> List.of(sender);
        case RECIPIENT -> recipients;
        case QUARANTINE -> quarantineReason.map(List::of).orElse(List.of());
      };
      if (!anyHolds(group.getValue(), values)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a listed message is selected: its id, its sender as sendmail shows it ({@code <>}
   * for the null sender), its recipients still to be delivered (sendmail's R lines), and, for
   * a held message, its quarantine reason.
   */
  public boolean matches(QueueEntry e) {
    return matches(e.id().value(), e.sender().isEmpty() ? "<>" : e.sender(),
        e.pendingAddresses(),
        e.state() == QueueState.HOLD ? Optional.of(QueuePrinter.HOLD_REASON) : Optional.empty());
  }

  private static boolean anyHolds(List<Criterion> group, List<String> values) {
    for (String value : values) {
      for (Criterion c : group) {
        if (contains(c, value) != c.negated()) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean contains(Criterion c, String value) {
    boolean ignoreCase = c.kind() == Kind.SENDER || c.kind() == Kind.RECIPIENT;
    if (ignoreCase) {
      return value.toLowerCase(Locale.ROOT).contains(c.substring().toLowerCase(Locale.ROOT));
    }
    return value.contains(c.substring());
  }
}
