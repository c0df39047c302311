package org.postern.compat.migrate;

import java.util.Locale;
import java.util.Optional;
import org.postern.maps.source.SourceEntry;

/**
 * One entry of a Postfix access(5) table as an entry of sendmail's access map, which
 * Postern's {@code access_map} reads: the key gets the tag of the check that used the table
 * ({@code Connect:}, {@code From:}, {@code To:}), the action its sendmail spelling.
 *
 * <p>Trusts nothing: an action sendmail's access map cannot say (FILTER, HOLD, PREPEND,
 * REDIRECT, a restriction name, ...) gives no entry, and the caller reports it. Stateless.
 */
final class PostfixAccess {
  private PostfixAccess() {}

  /** {@code Tag:key action}, or empty when the action has no sendmail equivalent. */
  static Optional<String> convert(String tag, SourceEntry e) {
    // Postfix's ".domain" is the subdomains; sendmail's "domain" covers both.
    String key = e.key().startsWith(".") ? e.key().substring(1) : e.key();
    return action(e.value()).map(a -> tag + ":" + key + " " + a);
  }

  private static Optional<String> action(String value) {
    String[] parts = value.strip().split("\\s+", 2);
    String word = parts[0].toUpperCase(Locale.ROOT);
    String text = parts.length > 1 ? parts[1] : "";
    switch (word) {
      case "OK", "PERMIT":
        return Optional.of("OK");
      case "DUNNO":
        return Optional.of("SKIP");
      case "DISCARD":
        return Optional.of("DISCARD");
      case "REJECT":
        return Optional.of(text.isEmpty() ? "REJECT" : "ERROR:5.7.1:550 " + text);
      case "DEFER", "DEFER_IF_PERMIT", "DEFER_IF_REJECT":
        return Optional.of("ERROR:4.7.1:450 " + (text.isEmpty() ? "Try again later" : text));
      default:
        // "4NN text" or "5NN text": sendmail's bare "### text" is the same reply.
        return word.matches("[45]\\d\\d") ? Optional.of(value.strip()) : Optional.empty();
    }
  }
}
