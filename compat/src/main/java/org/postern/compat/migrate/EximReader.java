package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's Exim configuration: {@code /etc/exim4/update-exim4.conf.conf} (debconf's
 * answers), {@code /etc/exim4/passwd.client} and {@code /etc/mailname}. Trusts nothing in
 * them (see {@link MtaReader}). Stateless.
 */
public final class EximReader implements MtaReader {
  @Override
  public String name() {
    return "exim";
  }

  @Override
  public boolean presentIn(Path root) {
    return Files.isRegularFile(root.resolve("etc/exim4/update-exim4.conf.conf"));
  }

  @Override
  public Migration read(Path root) throws IOException {
    return new Migration.Builder(name()).build();
  }
}
