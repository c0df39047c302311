package org.postern.maps.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.maps.LookupException;
import org.postern.maps.Table;

/**
 * One access check in progress: asks the table for each key of each family, tagged first and
 * then (unless the check is tag-only) untagged, before moving to the next key, as proto.m4's
 * SearchList and its F/U/D/A rulesets do. Records every key asked and every SKIP met.
 *
 * <p>Trusts the table's values no further than {@link RhsParser} does. A table failure is
 * passed up as {@link LookupException} (temporary), never read as "not found". One instance
 * per check; not thread-safe.
 */
final class KeySearch {
  private final Table table;
  private final String tag;
  private final boolean untagged;
  private final SmtpReply reject;
  private final List<String> tried = new ArrayList<>();
  private final List<AccessMatch> skipped = new ArrayList<>();

  /**
   * @param tag lower-case tag without its colon ({@code from}, {@code to}, {@code connect})
   * @param untagged whether each key is also tried without the tag (sendmail's "+" mark)
   * @param reject the reply REJECT stands for in this check
   */
  KeySearch(Table table, String tag, boolean untagged, SmtpReply reject) {
    this.table = table;
    this.tag = tag;
    this.untagged = untagged;
    this.reject = reject;
  }

  /** The first entry found in the families, in order; empty when none decides. */
  Optional<AccessMatch> first(List<List<String>> families) throws LookupException {
    for (List<String> family : families) {
      Optional<AccessMatch> hit = family(family);
      if (hit.isPresent()) {
        return hit;
      }
    }
    return Optional.empty();
  }

  /**
   * The first entry found for one family's keys. A SKIP ends the family as if nothing had
   * been found, so the caller moves on to the next family (SearchList continues after "?").
   */
  Optional<AccessMatch> family(List<String> keys) throws LookupException {
    for (String key : keys) {
      Optional<AccessMatch> hit = ask(tag + ":" + key);
      if (hit.isEmpty() && untagged) {
        hit = ask(key);
      }
      if (hit.isPresent()) {
        if (hit.get().action() instanceof AccessResult.Skip) {
          skipped.add(hit.get());
          return Optional.empty();
        }
        return hit;
      }
    }
    return Optional.empty();
  }

  /** The check's record so far, with the deciding entry (if any). */
  AccessLookup result(Optional<AccessMatch> match) {
    return new AccessLookup(tried, match, skipped);
  }

  List<String> keysTried() {
    return List.copyOf(tried);
  }

  private Optional<AccessMatch> ask(String key) throws LookupException {
    tried.add(key);
    // A blank value has no token for proto.m4's rules to act on: treat it as absent.
    return table.lookup(key)
        .filter(value -> !value.isBlank())
        .map(value -> new AccessMatch(key, value, RhsParser.parse(value, reject)));
  }
}
