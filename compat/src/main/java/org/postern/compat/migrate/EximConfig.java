package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's {@code /etc/exim4/update-exim4.conf.conf}: the shell-style {@code name='value'}
 * lines debconf writes, with where each was set. Lists in it are {@code ;}-separated
 * (addresses may hold colons).
 *
 * <p>Trusts nothing: a line that is not {@code name=value} is skipped (the shell would not
 * set anything from it either); quotes are removed, nothing is expanded. Immutable.
 */
final class EximConfig {
  static final String FILE = "/etc/exim4/update-exim4.conf.conf";

  /** One value and its origin ({@code file:line}). */
  record Value(String value, String origin) {
    /** The {@code ;}-separated items, trimmed, empty ones dropped. */
    List<String> items() {
      return split(";");
    }

    /** A domain list: older files separate with {@code :}, as Exim's own lists do. */
    List<String> domains() {
      return split("[;:]");
    }

    private List<String> split(String separator) {
      List<String> items = new ArrayList<>();
      for (String item : value.split(separator)) {
        if (!item.isBlank()) {
          items.add(item.strip());
        }
      }
      return items;
    }
  }

  private final Map<String, Value> values;

  private EximConfig(Map<String, Value> values) {
    this.values = values;
  }

  static EximConfig read(Path root) throws IOException {
    List<String> lines =
        Files.readAllLines(root.resolve(FILE.substring(1)), StandardCharsets.UTF_8);
    Map<String, Value> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int eq = line.indexOf('=');
      if (line.startsWith("#") || eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
          || value.startsWith("\"") && value.endsWith("\""))) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(line.substring(0, eq).strip(), new Value(value, FILE + ":" + (i + 1)));
    }
    return new EximConfig(values);
  }

  /** The value of {@code name}, empty when unset or set to the empty string. */
  Optional<Value> get(String name) {
    Value v = values.get(name);
    return v == null || v.value().isEmpty() ? Optional.empty() : Optional.of(v);
  }

  Map<String, Value> all() {
    return values;
  }
}
