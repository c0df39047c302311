package org.postern.maps.access;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.maps.access.AccessResult.Discard;
import org.postern.maps.access.AccessResult.Error;
import org.postern.maps.access.AccessResult.Ok;
import org.postern.maps.access.AccessResult.Quarantine;
import org.postern.maps.access.AccessResult.Reject;
import org.postern.maps.access.AccessResult.Relay;
import org.postern.maps.access.AccessResult.Skip;

/**
 * Turns one access map right-hand side into an {@link AccessResult}, as the action rules of
 * cf/m4/proto.m4 (check_relay, check_mail, check_rcpt) read it.
 *
 * <p>Trusts nothing of the value: keywords match case-insensitively and only as the whole
 * value (sendmail's one-token rules: {@code OK please} is not OK), and anything unrecognised
 * becomes an {@link Error} with the value as its text, as sendmail's "generic error from
 * access map" rule does ({@code 553 5.3.0 text}, or the reply code of a bare {@code ### text}).
 * Stateless; thread-safe.
 */
final class RhsParser {
  private static final Pattern ERROR_DSN =
      Pattern.compile("(?is)ERROR:\\s*([245]\\.\\d{1,3}\\.\\d{1,3})\\s*:(.*\\S.*)");
  private static final String QUARANTINE = "QUARANTINE:";
  private static final String ERROR = "ERROR:";

  private RhsParser() {}

  /**
   * Parses one value. {@code reject} is the reply REJECT stands for in this kind of lookup
   * ({@link SmtpReply#ACCESS_DENIED} or {@link SmtpReply#MAILBOX_DISABLED}).
   */
  static AccessResult parse(String value, SmtpReply reject) {
    String v = value.trim();
    switch (v.toUpperCase(Locale.ROOT)) {
      case "OK":
        return new Ok();
      case "RELAY":
        return new Relay();
      case "REJECT":
        return new Reject(reject);
      case "DISCARD":
        return new Discard();
      case "SKIP":
        return new Skip();
      default:
        return tagged(v).orElseGet(() -> new Error(SmtpReply.fromErrorText(v, Optional.empty())));
    }
  }

  /** {@code QUARANTINE:reason}, {@code ERROR:D.S.N:text}, {@code ERROR:text}; else empty. */
  private static Optional<AccessResult> tagged(String v) {
    String upper = v.toUpperCase(Locale.ROOT);
    // proto.m4 needs at least one token after the colon ($+); "ERROR:" alone is plain text.
    if (upper.startsWith(QUARANTINE) && !v.substring(QUARANTINE.length()).isBlank()) {
      return Optional.of(new Quarantine(v.substring(QUARANTINE.length()).trim()));
    }
    if (!upper.startsWith(ERROR) || v.substring(ERROR.length()).isBlank()) {
      return Optional.empty();
    }
    Matcher m = ERROR_DSN.matcher(v);
    if (m.matches()) {
      return Optional.of(new Error(SmtpReply.fromErrorText(m.group(2), Optional.of(m.group(1)))));
    }
    return Optional.of(
        new Error(SmtpReply.fromErrorText(v.substring(ERROR.length()), Optional.empty())));
  }
}
