package org.postern.compat.admin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.MainCf;
import org.postern.engine.global.ParameterName;
import org.postern.engine.global.Params;

/**
 * The three views of a parameter that {@code postern config} prints: the effective value, the
 * default, and the text written in main.cf.
 *
 * <p>The effective value is {@code $name}-expanded, and path-valued parameters (root, the
 * queue, spool, log, users and TLS files, the names of file-based tables) are resolved against
 * root: an instance's main.cf holds relative paths, and a script asking where the spool is
 * needs the absolute path, not {@code mail}. (postconf prints the text as is; Postfix has no
 * root parameter, so its paths are already absolute.) Trusts the parsed {@link Config}.
 * Immutable.
 */
final class ParameterValues {
  private static final Set<ConfigKey> PATHS = Set.of(Params.QUEUE_DIRECTORY,
      Params.MAIL_SPOOL_DIRECTORY, Params.MAILLOG_FILE, Params.LOCAL_USERS_FILE,
      Params.SMTPD_TLS_CERT_FILE, Params.SMTPD_TLS_KEY_FILE);
  private static final Set<ConfigKey> TABLES = Set.of(Params.ALIAS_MAPS, Params.ALIAS_DATABASE);
  /** Table types whose name is a file (Postfix's file-based maps, and pgsql's .cf file). */
  private static final Set<String> FILE_TABLE_TYPES =
      Set.of("hash", "btree", "cdb", "lmdb", "dbm", "texthash", "regexp", "pcre", "cidr",
          "pgsql");
  /** Machine-dependent defaults, printed computed (postconf -d prints the host's name). */
  private static final Set<ConfigKey> COMPUTED_DEFAULTS = Set.of(Params.MYHOSTNAME,
      Params.MYDOMAIN);

  private final Config config;
  private final Config defaults;

  private ParameterValues(Config config, Config defaults) {
    this.config = config;
    this.defaults = defaults;
  }

  /** Values of {@code config}, with the defaults of the same directory. */
  static ParameterValues of(Config config) throws ConfigException {
    return new ParameterValues(config, defaults(config.configDir()));
  }

  /** Only the defaults: no main.cf is read. */
  static ParameterValues defaultsOnly(Path configDir) throws ConfigException {
    Config defaults = defaults(configDir);
    return new ParameterValues(defaults, defaults);
  }

  private static Config defaults(Path configDir) {
    return Config.defaults(configDir);
  }

  /** The values of {@code name}'s scope: the SMTP listener of {@code PORT.name}, or these. */
  ParameterValues in(ParameterName name) {
    return new ParameterValues(name.in(config), name.in(defaults));
  }

  /** The value in effect: expanded, with paths resolved against root. */
  String effective(ConfigKey key) {
    if (key.equals(Params.ROOT)) {
      return config.root().toString();
    }
    String value = config.get(key);
    if (PATHS.contains(key) && !value.isEmpty()) {
      return config.resolve(value).toString();
    }
    return TABLES.contains(key) ? resolveTables(value) : value;
  }

  /** The built-in default, unexpanded but for the ones computed from the machine. */
  String defaultValue(ConfigKey key) {
    return COMPUTED_DEFAULTS.contains(key) ? defaults.get(key) : defaults.raw(key);
  }

  /** A {@code type:name} list with each file-based name made absolute. */
  private String resolveTables(String value) {
    List<String> out = new ArrayList<>();
    for (String table : value.split("[,\\s]+")) {
      if (table.isEmpty()) {
        continue;
      }
      int colon = table.indexOf(':');
      if (colon > 0 && FILE_TABLE_TYPES.contains(table.substring(0, colon))) {
        table = table.substring(0, colon + 1) + config.resolve(table.substring(colon + 1));
      }
      out.add(table);
    }
    return String.join(", ", out);
  }
}
