package org.postern.maps.access;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one access map check: every key asked of the table in order, the entry that
 * decided (empty: no decision, the caller applies its default), and the SKIP entries that
 * ended a key family on the way.
 *
 * <p>A present match never carries {@link AccessResult.Skip}. Immutable.
 */
public record AccessLookup(
    List<String> keysTried, Optional<AccessMatch> match, List<AccessMatch> skipped) {
  public AccessLookup {
    keysTried = List.copyOf(keysTried);
    skipped = List.copyOf(skipped);
  }

  /** The action of the deciding entry; empty when the map has no opinion. */
  public Optional<AccessResult> action() {
    return match.map(AccessMatch::action);
  }
}
