package org.postern.compat.admin;

import java.io.IOException;
import java.util.List;
import org.postern.compat.daemon.LocalService;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;

/**
 * {@code postern local}: runs the local delivery service in the foreground (systemd's
 * postern-local.service, or {@code postern start} when root starts the system). Takes no
 * arguments.
 *
 * <p>Trusts the instance configuration; the work is LocalService's.
 */
final class LocalVerb implements Verb {
  @Override
  public String usage() {
    return "usage: postern [-C config_dir] local";
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    if (!args.isEmpty()) {
      throw new UsageException("unexpected argument: " + args.get(0));
    }
    try {
      return new LocalService(inv.configDir()).run(inv.err());
    } catch (ConfigException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (IOException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_IOERR.code();
    }
  }
}
