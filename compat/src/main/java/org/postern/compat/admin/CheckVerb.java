package org.postern.compat.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.postern.compat.daemon.DaemonControl;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.Params;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;
import org.postern.maps.hash.HashTable;
import org.postern.maps.hash.Staleness;

/**
 * {@code postern check}: lists compiled tables that would mislead the mail system — a
 * source newer than its {@code .db} (the classic outage after editing without postmap), a
 * missing {@code .db}, or one that is not ours (a Berkeley DB left by sendmail or Postfix).
 * With the tables sound, it refuses what the daemon would refuse at its start (a bad local
 * delivery setting). Run by root on a system instance, it also makes the daemon's pid file for the mail owner.
 *
 * <p>Reads main.cf and the table files; writes only that pid file, through a checked
 * directory descriptor. Exit 0 when every table is current, 1 when one
 * is not, 78 when main.cf is unusable (one line naming its line).
 */
final class CheckVerb implements Verb {
  private static final List<ConfigKey> TABLES =
      List.of(Params.ALIAS_MAPS, Params.ALIAS_DATABASE, Params.ACCESS_MAP,
          Params.VIRTUSERTABLE_MAP, Params.MAILERTABLE_MAP, Params.SMTP_TLS_POLICY_MAPS,
          Params.SMTP_SASL_PASSWORD_MAPS);

  @Override
  public String usage() {
    return "usage: postern [-C config_dir] check";
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    if (!args.isEmpty()) {
      throw new UsageException("check takes no arguments");
    }
    Config config;
    try {
      config = Config.load(inv.configDir());
    } catch (ConfigException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    }
    TableOpener opener = new TableOpener(config.root(), w -> { });
    int problems = 0;
    java.util.Set<Path> seen = new java.util.HashSet<>();
    for (ConfigKey key : TABLES) {
      for (String item : config.list(key)) {
        TableSpec spec = TableSpec.parse(item);
        if (!List.of("hash", "btree", "authinfo").contains(spec.type())) {
          continue;
        }
        Path source = opener.sourceFile(spec);
        if (seen.add(source) && !current(inv, key, source)) {
          problems++;
        }
      }
    }
    // With its tables sound, what the daemon would refuse at its start (local delivery).
    if (problems == 0) {
      try {
        MailSystem.open(config).checkDelivery();
      } catch (ConfigException | IOException e) {
        inv.complain("fatal: " + e.getMessage());
        return Sysexit.EX_CONFIG.code();
      }
    }
    // As root (postern.service's ExecStartPre), make what the mail owner cannot: its pid
    // file in root's pid/, as Postfix's check makes missing directories.
    try {
      DaemonControl.prepareDaemonPidFile(config.path(Params.QUEUE_DIRECTORY));
    } catch (IOException e) {
      inv.complain("warning: " + e.getMessage());
      problems++;
    }
    return problems == 0 ? Sysexit.EX_OK.code() : 1;
  }

  private static boolean current(Invocation inv, ConfigKey key, Path source) {
    Path db = source.resolveSibling(source.getFileName() + ".db");
    if (!Files.exists(source) && !Files.exists(db)) {
      return true; // a table the site does not use
    }
    if (!Files.exists(db)) {
      String tool = key == Params.ALIAS_MAPS || key == Params.ALIAS_DATABASE
          ? "newaliases" : "postmap " + source;
      inv.complain("warning: " + key.name() + ": database " + db + " does not exist: run "
          + tool);
      return false;
    }
    try (HashTable t = HashTable.open(db, "hash:" + source)) {
      // Stricter than the lookups' warning (Postfix's 100 s grace): an admin who runs check
      // right after an edit wants to hear that postmap is still to be run.
      if (Staleness.newerSource(source, db)) {
        inv.complain(Staleness.warning(source, db) + " (" + key.name() + ")");
        return false;
      }
      return true;
    } catch (IOException e) {
      return true; // the .db without its source: nothing to compare, the table itself works
    } catch (TableConfigException e) {
      inv.complain("warning: " + key.name() + ": " + e.getMessage());
      return false;
    }
  }
}
