package org.postern.compat.submit;

import java.nio.file.Path;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;

/**
 * Where an instance's submission socket lives: {@code $queue_directory/public/submit}, in a
 * directory only the queue owner can write (mode 0755), the socket itself mode 0666 so that
 * every local user can connect (Postfix's public/pickup).
 *
 * <p>Trusts the configuration. Stateless.
 */
public final class SubmitSocket {
  /** The directory of sockets every local user may connect to. */
  public static final String PUBLIC_DIR = "public";
  public static final String NAME = "submit";

  private SubmitSocket() {}

  public static Path path(Config config) {
    return config.path(Params.QUEUE_DIRECTORY).resolve(PUBLIC_DIR).resolve(NAME);
  }
}
