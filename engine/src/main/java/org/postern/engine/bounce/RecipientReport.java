package org.postern.engine.bounce;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.queue.Recipient;

/**
 * What one recipient's delivery came to, as a delivery status notification reports it (RFC 3464
 * §2.3): the status, the diagnostic in its type's words ({@code smtp; 550 5.1.1 ...} or {@code
 * X-Postern; unknown user}), the remote MTA when one answered, and when the last attempt was made.
 *
 * <p>The diagnostic and remote MTA may come from the network and are escaped when written, not
 * here. The diagnostic type must be an RFC 3464 atom. Immutable.
 */
public record RecipientReport(
    Recipient recipient,
    DsnStatus status,
    String diagnosticType,
    String diagnostic,
    Optional<String> remoteMta,
    long lastAttemptMillis) {
  /** Diagnostic type of a remote server's reply (RFC 3464 §2.3.6). */
  public static final String SMTP = "smtp";

  /** Diagnostic type of our own delivery agents' explanations. */
  public static final String LOCAL = "X-Postern";

  private static final Pattern ATOM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

  public RecipientReport {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(diagnostic, "diagnostic");
    Objects.requireNonNull(remoteMta, "remoteMta");
    if (!ATOM.matcher(diagnosticType).matches()) {
      throw new IllegalArgumentException("not a diagnostic type: " + diagnosticType);
    }
  }
}
