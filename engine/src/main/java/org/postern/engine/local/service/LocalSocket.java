package org.postern.engine.local.service;

import java.nio.file.Path;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;

/**
 * Where the local delivery service listens: {@code $queue_directory/private/local}, in a
 * directory only the mail owner may enter (Postfix keeps its local service socket in the
 * same place). Stateless.
 */
public final class LocalSocket {
  /** The directory of sockets only the mail owner may connect to. */
  public static final String PRIVATE_DIR = "private";
  public static final String NAME = "local";

  private LocalSocket() {}

  public static Path path(Config config) {
    return config.path(Params.QUEUE_DIRECTORY).resolve(PRIVATE_DIR).resolve(NAME);
  }
}
