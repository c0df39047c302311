package org.postern.compat.sendmail;

import java.util.Optional;

/**
 * What {@code -Q} asks for: quarantine the selected queue items with a reason, or release them.
 *
 * <p>{@code -Qreason} holds with that reason; a bare {@code -Q} (rewritten to {@code -Q.} by
 * the pre-pass, as sendmail does) releases. sendmail refuses {@code -Q.} typed by the user, so
 * "." never reaches here as a reason. Immutable.
 */
public record Quarantine(Optional<String> reason) {
  static Quarantine ofValue(String value) {
    return new Quarantine(value.equals(".") ? Optional.empty() : Optional.of(value));
  }

  /** True for a bare {@code -Q}: take the selected items out of quarantine. */
  public boolean isRelease() {
    return reason.isEmpty();
  }
}
