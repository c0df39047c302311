package org.postern.engine.global;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Locale;
import java.util.Set;

/**
 * The effective configuration of one instance: main.cf over the defaults of {@link Params},
 * with {@code $name} expansion and typed accessors (paths under {@code root}, durations,
 * sizes, lists). {@link #forListener} gives one SMTP listener's view, where main.cf's
 * {@code PORT.name} (then the built-in {@link Params#listenerDefault}) overrides {@code name}.
 *
 * <p>Trusts the parsed main.cf; checks every value it converts and reports a bad one as a
 * {@link ConfigException} naming the key and the file. Immutable and thread-safe.
 */
public final class Config {
  private final Path configDir;
  private final MainCf mainCf;
  /** The listener port of this view; empty: the instance-wide view. */
  private final OptionalInt listenerPort;

  public Config(Path configDir, MainCf mainCf) {
    this(configDir, mainCf, OptionalInt.empty());
  }

  private Config(Path configDir, MainCf mainCf, OptionalInt listenerPort) {
    this.configDir = configDir;
    this.mainCf = mainCf;
    this.listenerPort = listenerPort;
  }

  /** Reads {@code DIR/main.cf}. */
  public static Config load(Path configDir) throws ConfigException {
    return new Config(configDir, MainCf.read(configDir.resolve("main.cf")));
  }

  /** The built-in defaults alone, as if main.cf were empty (for {@code postern config -d}). */
  public static Config defaults(Path configDir) {
    return new Config(configDir, MainCf.empty(configDir.resolve("main.cf")));
  }

  public Path configDir() {
    return configDir;
  }

  public MainCf mainCf() {
    return mainCf;
  }

  /**
   * The view of the SMTP listeners on {@code port}: each value is main.cf's
   * {@code PORT.name} if set, else the built-in listener default (587:
   * smtpd_tls_security_level = encrypt), else the instance-wide value. {@code $name} in a
   * value expands in the same view.
   */
  public Config forListener(int port) {
    return new Config(configDir, mainCf, OptionalInt.of(port));
  }

  /** The listener port of this view, empty for the instance-wide configuration. */
  public OptionalInt listenerPort() {
    return listenerPort;
  }

  /** The raw value as written (or the default), before {@code $name} expansion. */
  public String raw(ConfigKey key) {
    MainCf.Setting s = setting(key);
    if (s != null) {
      return s.value();
    }
    if (listenerPort.isPresent()) {
      Optional<String> d = Params.listenerDefault(listenerPort.getAsInt(), key);
      if (d.isPresent()) {
        return d.get();
      }
      MainCf.Setting global = mainCf.settings().get(key.name());
      if (global != null) {
        return global.value();
      }
    }
    return builtinDefault(key);
  }

  /** Whether main.cf sets the key explicitly (in a listener view: also as PORT.name). */
  public boolean isSet(ConfigKey key) {
    return setting(key) != null || mainCf.settings().containsKey(key.name());
  }

  /** The most specific main.cf setting of {@code key} in this view, or null. */
  private MainCf.Setting setting(ConfigKey key) {
    if (listenerPort.isPresent()) {
      return mainCf.settings().get(listenerPort.getAsInt() + "." + key.name());
    }
    return mainCf.settings().get(key.name());
  }

  /**
   * The value with every {@code $name} and {@code ${name}} expanded, except in the
   * parameters Postfix takes as written ({@link Params#UNEXPANDED}).
   */
  public String get(ConfigKey key) {
    if (Params.UNEXPANDED.contains(key)) {
      return raw(key);
    }
    return fromFile(key, expand(raw(key), new HashSet<>(Set.of(key.name()))));
  }

  /**
   * Debian's {@code myorigin = /etc/mailname}: a myorigin that is a path stands for the first
   * line of that file, or $myhostname when it cannot be read (Debian's Postfix does the same).
   */
  private String fromFile(ConfigKey key, String value) {
    if (key != Params.MYORIGIN || !value.startsWith("/")) {
      return value;
    }
    try (java.io.BufferedReader r = Files.newBufferedReader(Path.of(value),
        StandardCharsets.US_ASCII)) {
      String line = r.readLine();
      if (line != null && !line.isBlank()) {
        return line.strip();
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // unreadable or missing: as without the file
    }
    return get(Params.MYHOSTNAME);
  }

  /** A default that depends on the machine (host name) rather than a constant. */
  private static String builtinDefault(ConfigKey key) {
    if (key == Params.MYHOSTNAME) {
      return systemHostName();
    }
    if (key == Params.MYDOMAIN) {
      return "${myhostname_domain}";
    }
    return key.defaultValue();
  }

  private String expand(String value, Set<String> seen) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '$' || i + 1 >= value.length()) {
        out.append(c);
        continue;
      }
      int end;
      String name;
      if (value.charAt(i + 1) == '{') {
        end = value.indexOf('}', i);
        if (end < 0) {
          out.append(c);
          continue;
        }
        name = value.substring(i + 2, end);
      } else {
        end = i + 1;
        while (end < value.length()
            && (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
          end++;
        }
        name = value.substring(i + 1, end);
        end--;
      }
      out.append(lookup(name, seen));
      i = end;
    }
    return out.toString();
  }

  private String lookup(String name, Set<String> seen) {
    if (name.equals("myhostname_domain")) {
      String host = get(Params.MYHOSTNAME);
      int dot = host.indexOf('.');
      return dot > 0 ? host.substring(dot + 1) : "localdomain";
    }
    if (!seen.add(name)) {
      return ""; // a recursive definition expands to nothing, as in Postfix
    }
    String raw =
        Params.byName(name)
            .map(this::raw)
            .orElseGet(
                () -> {
                  MainCf.Setting s = mainCf.settings().get(name);
                  return s == null ? "" : s.value();
                });
    String expanded = expand(raw, seen);
    seen.remove(name);
    return name.equals(Params.MYORIGIN.name()) ? fromFile(Params.MYORIGIN, expanded) : expanded;
  }

  /** A path value, resolved against {@code root} when relative. */
  public Path path(ConfigKey key) {
    Path p = Path.of(get(key));
    return p.isAbsolute() ? p : root().resolve(p);
  }

  /** Resolves any path-valued string (e.g. the name part of a table) against root. */
  public Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p : root().resolve(p);
  }

  public Path root() {
    Path root = Path.of(get(Params.ROOT));
    return root.isAbsolute() ? root : configDir.resolve(root);
  }

  /**
   * A comma/space separated list; separators inside braces do not split, as in Postfix's
   * lists ({@code inline:{ a=b, c=d }, hash:/etc/x} is two items).
   */
  public List<String> list(ConfigKey key) {
    return split(get(key));
  }

  /** {@code v} split as {@link #list} splits a parameter's value. */
  public static List<String> split(String v) {
    List<String> out = new ArrayList<>();
    int start = -1;
    int depth = 0;
    for (int i = 0; i <= v.length(); i++) {
      char c = i == v.length() ? ',' : v.charAt(i);
      depth += c == '{' ? 1 : c == '}' && depth > 0 ? -1 : 0;
      boolean sep = i == v.length() || depth == 0 && (c == ',' || Character.isWhitespace(c));
      if (sep && start >= 0) {
        out.add(v.substring(start, i));
        start = -1;
      } else if (!sep && start < 0) {
        start = i;
      }
    }
    return out;
  }

  public long number(ConfigKey key) throws ConfigException {
    String v = get(key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw bad(key, v, "a number");
    }
  }

  public boolean bool(ConfigKey key) throws ConfigException {
    String v = get(key).toLowerCase(Locale.ROOT);
    switch (v) {
      case "yes":
      case "true":
        return true;
      case "no":
      case "false":
        return false;
      default:
        throw bad(key, v, "yes or no");
    }
  }

  /** A Postfix time value ({@code 300s}, {@code 5m}, {@code 4h}, {@code 5d}, {@code 1w}) in ms. */
  public long millis(ConfigKey key) throws ConfigException {
    String v = get(key).strip();
    OptionalLong ms = parseTime(v);
    if (ms.isEmpty()) {
      throw bad(key, v, "a time value");
    }
    return ms.getAsLong();
  }

  /**
   * A time value as main.cf writes it (digits and an optional s, m, h, d or w; seconds by
   * default) in milliseconds, or empty when it is not one. Shared by command-line flags.
   */
  public static OptionalLong parseTime(String text) {
    String v = text.strip();
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    char unit = v.charAt(v.length() - 1);
    String digits = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
    if (!digits.matches("\\d{1,12}")) {
      return OptionalLong.empty();
    }
    long seconds;
    switch (Character.isDigit(unit) ? 's' : unit) {
      case 's' -> seconds = 1;
      case 'm' -> seconds = 60;
      case 'h' -> seconds = 3600;
      case 'd' -> seconds = 86400;
      case 'w' -> seconds = 7 * 86400;
      default -> {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(digits) * seconds * 1000);
  }

  /**
   * The error for a value of {@code key} that its reader cannot use, naming main.cf's line
   * (or "default") and the setting's name as written ({@code PORT.name} in a listener view).
   */
  public ConfigException invalid(ConfigKey key, String expected) {
    return bad(key, get(key), expected);
  }

  private ConfigException bad(ConfigKey key, String value, String expected) {
    MainCf.Setting s = setting(key);
    if (s == null && Params.listenerDefault(listenerPort.orElse(-1), key).isEmpty()) {
      s = mainCf.settings().get(key.name());
    }
    String where = s == null ? "default" : mainCf.file() + ", line " + s.line();
    String name = s == null ? key.name() : s.name();
    return new ConfigException(
        where + ": bad " + name + " value \"" + value + "\": expected " + expected);
  }

  /** Whether {@code domain} is one of ours (mydestination), case-insensitively. */
  public boolean isLocalDomain(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    for (String dest : list(Params.MYDESTINATION)) {
      if (dest.toLowerCase(Locale.ROOT).equals(d)) {
        return true;
      }
    }
    return false;
  }

  /** Every known parameter's name, for {@code postern config} with no names. */
  public static List<String> knownNames() {
    return Arrays.asList(Params.ALL.stream().map(ConfigKey::name).sorted().toArray(String[]::new));
  }

  /**
   * The host's name as Postfix takes it: gethostname(2), and when that has no dot, the
   * canonical name /etc/hosts gives it ({@code 127.0.1.1 host.example.org host}, as Debian's
   * installer writes), without a DNS lookup. Read once per process (it was 8% of an SMTP
   * session's CPU).
   */
  private static String systemHostName() {
    return SystemHostName.VALUE;
  }

  private static final class SystemHostName {
    static final String VALUE = read();

    private static String read() {
      String name;
      try {
        name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII)
            .strip();
      } catch (IOException e) {
        return "localhost";
      }
      return name.contains(".") ? name : canonical(name, Path.of("/etc/hosts"));
    }
  }

  /** The first name of the /etc/hosts line listing {@code shortName}, if it is shortName.DOMAIN. */
  static String canonical(String shortName, Path hosts) {
    try {
      for (String line : Files.readAllLines(hosts, StandardCharsets.ISO_8859_1)) {
        int hash = line.indexOf('#');
        String[] f = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
        for (int i = 1; i < f.length; i++) {
          if (f[i].equalsIgnoreCase(shortName)) {
            return f[1].regionMatches(true, 0, shortName + ".", 0, shortName.length() + 1)
                ? f[1] : shortName;
          }
        }
      }
    } catch (IOException e) {
      // no /etc/hosts: the kernel's name it is
    }
    return shortName;
  }
}
