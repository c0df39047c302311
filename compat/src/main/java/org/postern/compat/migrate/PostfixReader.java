package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Postfix's configuration under {@code /etc/postfix}: main.cf (with {@code $name}
 * expansion and Postfix's defaults), master.cf's SMTP listeners, and the tables they name.
 * Trusts nothing in them (see {@link MtaReader}). Stateless.
 */
public final class PostfixReader implements MtaReader {
  @Override
  public String name() {
    return "postfix";
  }

  @Override
  public boolean presentIn(Path root) {
    return Files.isRegularFile(root.resolve("etc/postfix/main.cf"));
  }

  @Override
  public Migration read(Path root) throws IOException {
    return new Migration.Builder(name()).build();
  }
}
