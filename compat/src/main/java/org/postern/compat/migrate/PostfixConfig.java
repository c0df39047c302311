package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MainCf;

/**
 * Postfix's main.cf as Postfix reads it: {@code name = value} lines (the syntax Postern's
 * main.cf shares), {@code $name} and {@code ${name}} expanded from the file or Postfix's
 * defaults, and where each value was set.
 *
 * <p>Trusts nothing in the file: a line Postfix would refuse makes the whole file unreadable
 * (an IOException naming file and line, as Postfix would stop too); an unknown
 * {@code $name} stays as written. Names Postern shares with Postfix ({@link #KEEP}) stay
 * unexpanded, since the migrated main.cf sets them too. Immutable.
 */
final class PostfixConfig {
  static final String FILE = "/etc/postfix/main.cf";
  /** Expanded by Postern itself from the same settings. */
  private static final Set<String> KEEP = Set.of("myhostname", "mydomain", "myorigin");
  /**
   * Postfix's defaults that values commonly name or that differ from Postern's (postconf -d
   * on Debian; alias_maps without its nis:mail.aliases, which needs NIS).
   */
  private static final Map<String, String> DEFAULTS = Map.of(
      "config_directory", "/etc/postfix",
      "queue_directory", "/var/spool/postfix",
      "mail_name", "Postern",
      "myorigin", "$myhostname",
      "alias_maps", "hash:/etc/aliases",
      "alias_database", "hash:/etc/aliases",
      "mydestination", "$myhostname, localhost.$mydomain, localhost",
      "recipient_delimiter", "",
      "mailbox_size_limit", "51200000",
      "inet_interfaces", "all");

  /** One setting's expanded value and its origin ({@code file:line}). */
  record Value(String value, String origin) {}

  private final Map<String, MainCf.Setting> settings;

  private PostfixConfig(Map<String, MainCf.Setting> settings) {
    this.settings = settings;
  }

  static PostfixConfig read(Path root) throws IOException {
    Path file = root.resolve(FILE.substring(1));
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    try {
      return new PostfixConfig(MainCf.parse(Path.of(FILE), lines).settings());
    } catch (ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Every name set in the file, in file order. */
  Set<String> names() {
    return settings.keySet();
  }

  boolean isSet(String name) {
    return settings.containsKey(name);
  }

  /** The value set in the file, expanded; empty when the file does not set it. */
  Optional<Value> get(String name) {
    MainCf.Setting s = settings.get(name);
    return s == null ? Optional.empty()
        : Optional.of(new Value(expand(s.value()), FILE + ":" + s.line()));
  }

  /** The value as written, unexpanded (Postfix expands some values only when it uses them). */
  Optional<Value> raw(String name) {
    MainCf.Setting s = settings.get(name);
    return s == null ? Optional.empty() : Optional.of(new Value(s.value(), FILE + ":" + s.line()));
  }

  /** The value set in the file, or Postfix's default, expanded. */
  Value getOrDefault(String name) {
    return get(name).orElseGet(
        () -> new Value(expand(DEFAULTS.getOrDefault(name, "")), FILE + " (default)"));
  }

  /** {@code text} with {@code $name} and {@code ${name}} replaced, recursively. */
  String expand(String text) {
    return expand(text, new HashSet<>());
  }

  private String expand(String text, Set<String> seen) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      // $name or ${name} (or $(name)): find the name's end.
      boolean braced = text.charAt(i + 1) == '{' || text.charAt(i + 1) == '(';
      int start = braced ? i + 2 : i + 1;
      int end = start;
      while (end < text.length()
          && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
        end++;
      }
      String name = text.substring(start, end);
      int after = braced && end < text.length() ? end + 1 : end;
      out.append(replacement(name, text.substring(i, after), seen));
      i = Math.max(after, i + 1);
    }
    return out.toString();
  }

  private String replacement(String name, String written, Set<String> seen) {
    if (name.isEmpty() || KEEP.contains(name) || seen.contains(name)) {
      return written;
    }
    MainCf.Setting s = settings.get(name);
    String raw = s != null ? s.value() : DEFAULTS.get(name);
    if (raw == null) {
      return written;
    }
    Set<String> inner = new HashSet<>(seen);
    inner.add(name);
    return expand(raw, inner);
  }
}
