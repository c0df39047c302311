package org.postern.compat.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.Params;
import org.postern.engine.global.Sysexit;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;
import org.postern.maps.access.AccessLookup;
import org.postern.maps.access.AccessMap;
import org.postern.maps.access.SpamLookup;
import org.postern.maps.virtual.VirtualLookup;
import org.postern.maps.virtual.VirtualUserTable;

/**
 * {@code postern lookup access TAG:KEY} and {@code postern lookup virtusertable ADDRESS}:
 * runs one lookup with sendmail's semantics and prints every key tried, in order, and
 * which entry won — so an admin can see why a rule does or does not apply.
 *
 * <p>Connect keys are {@code Connect:IP} or {@code Connect:host[IP]} (no DNS is done). Exit
 * 0 when an entry matched, 1 when none did, 78 for an unusable table, 64 for bad input.
 */
final class LookupVerb implements Verb {
  @Override
  public String usage() {
    return "usage: postern [-C config_dir] lookup [-t type:name] access Connect:|From:|To:|Spam:KEY"
        + " | virtusertable ADDRESS";
  }

  /** It only reads one table and prints. */
  @Override
  public boolean startsNothing() {
    return true;
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    Optional<String> tableFlag = Optional.empty();
    List<String> rest = args;
    if (rest.size() >= 2 && rest.get(0).equals("-t")) {
      tableFlag = Optional.of(rest.get(1));
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() != 2) {
      throw new UsageException("lookup needs a map name and a key");
    }
    String map = rest.get(0);
    ConfigKey key;
    if (map.equals("access")) {
      key = Params.ACCESS_MAP;
    } else if (map.equals("virtusertable")) {
      key = Params.VIRTUSERTABLE_MAP;
    } else {
      throw new UsageException("unknown map " + map + " (access or virtusertable)");
    }
    try {
      Config config = Config.load(inv.configDir());
      TableOpener opener = new TableOpener(config.root(), w -> inv.complain(w));
      try (Table table = opener.open(TableSpec.parse(tableFlag.orElse(config.get(key))))) {
        return map.equals("access")
            ? access(inv, config, new AccessMap(table), rest.get(1))
            : virtual(inv, new VirtualUserTable(table), rest.get(1));
      }
    } catch (ConfigException | TableConfigException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (LookupException e) {
      inv.complain("lookup failed: " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
  }

  private static int access(Invocation inv, Config config, AccessMap map, String tagged)
      throws LookupException, UsageException {
    int colon = tagged.indexOf(':');
    if (colon <= 0) {
      throw new UsageException("access keys are TAG:KEY (Connect:, From:, To:, Spam:)");
    }
    String tag = tagged.substring(0, colon).toLowerCase(Locale.ROOT);
    String value = tagged.substring(colon + 1);
    if (tag.equals("spam")) {
      SpamLookup s = map.spam(value, isLocal(config, value));
      s.keysTried().forEach(k -> inv.out().println("tried " + k));
      if (s.key().isEmpty()) {
        inv.out().println("no match");
        return 1;
      }
      inv.out().println("matched " + s.key().get() + " -> " + s.value().orElse(""));
      return 0;
    }
    AccessLookup l;
    switch (tag) {
      case "from":
        l = map.sender(value);
        break;
      case "to":
        l = map.recipient(value, isLocal(config, value));
        break;
      case "connect":
        l = client(map, value);
        break;
      default:
        throw new UsageException("unknown access tag " + tag + ": (Connect, From, To, Spam)");
    }
    l.keysTried().forEach(k -> inv.out().println("tried " + k));
    l.skipped().forEach(m -> inv.out().println("skipped " + m.describe()));
    if (l.match().isEmpty()) {
      inv.out().println("no match");
      return 1;
    }
    inv.out().println(l.match().get().describe());
    return 0;
  }

  private static AccessLookup client(AccessMap map, String value)
      throws LookupException, UsageException {
    String host = null;
    String ip = value;
    int open = value.indexOf('[');
    if (open >= 0 && value.endsWith("]")) {
      host = value.substring(0, open);
      ip = value.substring(open + 1, value.length() - 1);
    }
    if (!ip.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      throw new UsageException("Connect: needs an IP address: Connect:IP or Connect:host[IP]");
    }
    try {
      InetAddress address = InetAddress.getByName(ip); // a literal: no DNS query
      return map.client(Optional.ofNullable(host).filter(h -> !h.isEmpty()), address);
    } catch (UnknownHostException e) {
      throw new UsageException("not an IP address: " + ip);
    }
  }

  private static int virtual(Invocation inv, VirtualUserTable table, String address)
      throws LookupException {
    VirtualLookup l = table.lookup(address);
    l.keysTried().forEach(k -> inv.out().println("tried " + k));
    if (l.key().isEmpty()) {
      inv.out().println("no match");
      return 1;
    }
    inv.out().println("matched " + l.key().get() + " -> " + l.value().orElse("") + " => "
        + l.result().describe());
    return 0;
  }

  private static boolean isLocal(Config config, String address) {
    int at = address.lastIndexOf('@');
    return at < 0 || config.isLocalDomain(address.substring(at + 1));
  }
}
