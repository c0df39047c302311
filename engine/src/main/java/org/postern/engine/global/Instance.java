package org.postern.engine.global;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses which mail system a command works on: {@code -C DIR}, else {@code POSTERN_CONFIG},
 * else the system instance in {@code /etc/postern}.
 *
 * <p>Trusts the caller's flag and environment (they only select a directory the caller can
 * read anyway). Stateless.
 */
public final class Instance {
  public static final Path SYSTEM_CONFIG_DIR = Path.of("/etc/postern");
  public static final String ENV = "POSTERN_CONFIG";

  private Instance() {}

  /** The configuration directory chosen by flag, environment, or the system default. */
  public static Path configDir(Optional<String> flag, Map<String, String> env) {
    String dir = flag.isPresent() ? flag.get() : env.get(ENV);
    if (dir == null || dir.isEmpty()) {
      return SYSTEM_CONFIG_DIR;
    }
    Path p = Path.of(dir).toAbsolutePath().normalize();
    // Postfix's -C accepts main.cf itself as well as its directory.
    return p.getFileName() != null && p.getFileName().toString().equals("main.cf")
        ? p.getParent()
        : p;
  }

  public static Config load(Optional<String> flag, Map<String, String> env)
      throws ConfigException {
    return Config.load(configDir(flag, env));
  }
}
