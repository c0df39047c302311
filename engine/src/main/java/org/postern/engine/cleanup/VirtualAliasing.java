package org.postern.engine.cleanup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfiguredTable;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.TableOpener;
import org.postern.maps.access.SmtpReply;
import org.postern.maps.source.EntryLocator;
import org.postern.maps.virtual.VirtualLookup;
import org.postern.maps.virtual.VirtualResult;
import org.postern.maps.virtual.VirtualUserTable;

/**
 * Rewrites one envelope recipient through virtusertable ({@code virtusertable_map}) the way
 * sendmail's ruleset 0 and Postfix's cleanup (virtual_alias_maps) do, for every domain:
 * a value may list several addresses (comma or space separated, as virtual(5)); each result
 * is rewritten again unless it is the address itself, up to 1000 levels and 1000 addresses
 * (Postfix's virtual_alias_recursion_limit and virtual_alias_expansion_limit).
 *
 * <p>Trusts the table's syntax only. An {@code error:} result or a limit is a refusal the
 * caller reports (RCPT 5xx, bounce); a table that cannot be read is a TempFailException
 * (4.3.0). A step described names the source FILE:LINE when the source file can be read.
 * Opens the table once; thread-safe when the table is.
 */
public final class VirtualAliasing {
  static final int RECURSION_LIMIT = 1000;
  static final int EXPANSION_LIMIT = 1000;

  /**
   * One table entry that applied: the address looked up, the entry's key and value, and
   * how to find where the entry is written (read from the source only when described, for
   * sendmail -bv and postern explain: mail itself never pays for it).
   */
  public record Step(String address, String key, String value, Function<String, String> where) {
    /** {@code virtusertable FILE:LINE -> value}. */
    public String describe() {
      return where.apply(key) + " -> " + value;
    }
  }

  /**
   * What one recipient became: the final addresses (the recipient itself when no entry
   * applied), the refusal when an entry says {@code error:} or a limit was passed, and the
   * entries that applied, in order.
   */
  public record Rewrite(List<String> addresses, Optional<SmtpReply> refusal, List<Step> steps) {
    public Rewrite {
      addresses = List.copyOf(addresses);
      steps = List.copyOf(steps);
    }

    /** Whether any entry applied. */
    public boolean rewritten() {
      return !steps.isEmpty();
    }
  }

  private final VirtualUserTable table;
  private final String name;
  private final EntryLocator source;

  VirtualAliasing(VirtualUserTable table, String name, EntryLocator source) {
    this.table = table;
    this.name = name;
    this.source = source;
  }

  /** Opens the instance's virtusertable_map (absent or empty: nothing is rewritten). */
  public static VirtualAliasing open(Config config) throws ConfigException {
    TableOpener opener = new TableOpener(config.root(), w -> { });
    ConfiguredTable.Located tables =
        ConfiguredTable.openLocated(config, Params.VIRTUSERTABLE_MAP, opener);
    return new VirtualAliasing(new VirtualUserTable(tables.table()), "virtusertable",
        tables.locator());
  }

  /** Rewrites {@code address}; an unqualified address is left alone (sendmail's too). */
  public Rewrite rewrite(String address) throws TempFailException {
    List<Step> steps = new ArrayList<>();
    Set<String> out = new LinkedHashSet<>();
    Optional<SmtpReply> refusal = expand(address, 0, steps, out);
    return new Rewrite(new ArrayList<>(out), refusal, steps);
  }

  private Optional<SmtpReply> expand(String address, int depth, List<Step> steps,
      Set<String> out) throws TempFailException {
    if (depth >= RECURSION_LIMIT) {
      return Optional.of(new SmtpReply(554, "5.4.6", "virtual alias recursion limit exceeded"));
    }
    VirtualLookup found;
    try {
      found = address.indexOf('@') < 0 ? null : table.lookup(address);
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", name + ": table lookup failure: " + e.getMessage(), e);
    }
    if (found == null || found.result() instanceof VirtualResult.NotFound) {
      return add(address, out);
    }
    steps.add(new Step(address, found.key().orElseThrow(), found.value().orElseThrow(),
        this::where));
    if (found.result() instanceof VirtualResult.Error e) {
      return Optional.of(e.reply());
    }
    String value = ((VirtualResult.Address) found.result()).address();
    for (String next : value.split("[,\\s]+")) {
      if (next.isEmpty()) {
        continue;
      }
      Optional<SmtpReply> r = next.equalsIgnoreCase(address) ? add(next, out)
          : expand(next, depth + 1, steps, out);
      if (r.isPresent()) {
        return r;
      }
    }
    return Optional.empty();
  }

  private static Optional<SmtpReply> add(String address, Set<String> out) {
    boolean known = out.stream().anyMatch(a -> a.equalsIgnoreCase(address));
    if (!known && out.size() >= EXPANSION_LIMIT) {
      return Optional.of(new SmtpReply(554, "5.4.6", "virtual alias expansion limit exceeded"));
    }
    if (!known) {
      out.add(address);
    }
    return Optional.empty();
  }

  /** {@code virtusertable FILE:LINE} of the entry {@code key}, or the key when unreadable. */
  private String where(String key) {
    return name + " " + source.find(key).orElse(key);
  }
}
