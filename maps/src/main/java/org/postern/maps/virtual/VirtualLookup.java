package org.postern.maps.virtual;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one virtusertable lookup: every key asked in order, the key that matched and
 * its raw value (before substitution), and the result.
 *
 * <p>For {@code postern lookup} ("matched KEY -> VALUE => RESULT") and logs. Immutable.
 */
public record VirtualLookup(
    List<String> keysTried, Optional<String> key, Optional<String> value, VirtualResult result) {
  public VirtualLookup {
    keysTried = List.copyOf(keysTried);
  }
}
