package org.postern.compat.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.postern.compat.mailq.ListingFilter;
import org.postern.compat.mailq.QueueFilter;
import org.postern.engine.showq.QueueEntry;

/**
 * Which messages a {@code postern queue} command acts on: the queue ids given (on the
 * command line, one per line on stdin with {@code -}, or every message with {@code ALL}),
 * narrowed by the bulk filters {@code --from ADDR} and {@code --to ADDR} (substrings,
 * case-insensitive, as sendmail's -qS and -qR; repeated ones are OR-ed) and
 * {@code --older-than DURATION} (arrival at least that long ago). Filters alone select from
 * the whole queue.
 *
 * <p>Trusts nothing it reads: an id that is not a queue id's shape is kept as text and
 * reported as no such message, never used as a file name. Immutable once built.
 */
final class QueueSelection {
  /** The word that selects every message, as postsuper's ALL. */
  static final String ALL = "ALL";

  private final Set<String> ids;
  private final boolean all;
  private final ListingFilter filter;

  private QueueSelection(Set<String> ids, boolean all, ListingFilter filter) {
    this.ids = ids;
    this.all = all;
    this.filter = filter;
  }

  /** The selection of a parsed command line; {@code operands} are what follows the verb. */
  static QueueSelection of(CommandLine cl, List<String> operands, InputStream stdin,
      long nowMillis) throws UsageException {
    Set<String> ids = new LinkedHashSet<>();
    boolean all = false;
    for (String op : operands) {
      if (op.equals("-")) {
        ids.addAll(readIds(stdin));
      } else if (op.equals(ALL)) {
        all = true;
      } else {
        ids.add(op);
      }
    }
    List<QueueFilter.Criterion> criteria = new ArrayList<>();
    for (String from : values(cl, "from")) {
      criteria.add(new QueueFilter.Criterion(QueueFilter.Kind.SENDER, false, from));
    }
    for (String to : values(cl, "to")) {
      criteria.add(new QueueFilter.Criterion(QueueFilter.Kind.RECIPIENT, false, to));
    }
    OptionalLong cutoff = cl.hasOption("older-than")
        ? OptionalLong.of(nowMillis - age(cl.getOptionValue("older-than")).toMillis())
        : OptionalLong.empty();
    return new QueueSelection(ids, all, new ListingFilter(new QueueFilter(criteria), cutoff));
  }

  /** Whether anything at all was selected (ids, ALL or a filter). */
  boolean isEmpty() {
    return ids.isEmpty() && !all && filter.isEmpty();
  }

  /** Whether messages are taken from the whole queue rather than by id. */
  boolean fromWholeQueue() {
    return all || ids.isEmpty();
  }

  /** The ids asked for, in the order given, duplicates dropped. */
  Set<String> ids() {
    return ids;
  }

  /** Whether a message passes the bulk filters. */
  boolean passes(QueueEntry e) {
    return filter.admits(e);
  }

  /** The bulk filters alone. */
  ListingFilter filter() {
    return filter;
  }

  private static List<String> values(CommandLine cl, String option) {
    String[] v = cl.getOptionValues(option);
    return v == null ? List.of() : List.of(v);
  }

  private static List<String> readIds(InputStream stdin) throws UsageException {
    List<String> out = new ArrayList<>();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String id = line.strip();
        if (!id.isEmpty()) {
          out.add(id);
        }
      }
    } catch (IOException e) {
      throw new UsageException("queue: cannot read queue ids from stdin: " + e.getMessage());
    }
    return out;
  }

  /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 5d}, {@code 1w}, or sums like {@code 1h30m}. */
  static Duration age(String text) throws UsageException {
    Duration total = Duration.ZERO;
    int i = 0;
    if (text.isEmpty()) {
      throw new UsageException("queue: --older-than: empty duration");
    }
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        i++;
      }
      if (i == start || i == text.length() || i - start > 9) {
        throw new UsageException("queue: --older-than: " + text
            + ": not a duration (number and unit s, m, h, d or w, e.g. 30m, 2h, 5d)");
      }
      long n = Long.parseLong(text.substring(start, i));
      total = switch (text.charAt(i)) {
        case 's' -> total.plusSeconds(n);
        case 'm' -> total.plusMinutes(n);
        case 'h' -> total.plusHours(n);
        case 'd' -> total.plusDays(n);
        case 'w' -> total.plusDays(7 * n);
        default -> throw new UsageException("queue: --older-than: " + text
            + ": unknown unit '" + text.charAt(i) + "' (s, m, h, d or w)");
      };
      i++;
    }
    return total;
  }
}
