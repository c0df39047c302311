package org.postern.maps.access;

/**
 * One access map entry that answered a lookup: the key as looked up (lower case, with its tag
 * if it had one), the raw value, and what the value means.
 *
 * <p>For diagnostics ({@code postern lookup}: "matched KEY -> VALUE => ACTION") and logs.
 * Immutable.
 */
public record AccessMatch(String key, String value, AccessResult action) {
  /** {@code matched from:spammer.example -> REJECT => REJECT 550 5.7.1 Access denied}. */
  public String describe() {
    return "matched " + key + " -> " + value + " => " + action.describe();
  }
}
