package org.postern.maps.access;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a {@code Spam:} lookup (FEATURE(delay_checks, friend|hater)): the keys
 * asked in order and the raw value found ({@code FRIEND} or {@code HATER} by convention).
 *
 * <p>The value is not interpreted: what FRIEND and HATER mean depends on how the SMTP
 * server is configured. Immutable.
 */
public record SpamLookup(List<String> keysTried, Optional<String> key, Optional<String> value) {
  public SpamLookup {
    keysTried = List.copyOf(keysTried);
  }
}
