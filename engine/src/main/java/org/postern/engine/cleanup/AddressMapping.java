package org.postern.engine.cleanup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.ConfiguredTable;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.TableOpener;
import org.postern.maps.canonical.CanonicalMatch;
import org.postern.maps.canonical.CanonicalTable;
import org.postern.maps.source.EntryLocator;

/**
 * Cleanup's one-to-one address mapping (Postfix's cleanup_addr.c and cleanup_map11.c): a
 * sender goes through sender_canonical_maps then canonical_maps, a recipient through
 * recipient_canonical_maps then canonical_maps, each map only for the classes its
 * {@code *_classes} parameter lists and applied again to its own result (at most 10 times)
 * until nothing or the address itself matches; then masquerading. Virtual aliasing comes
 * after, in {@link Cleanup}.
 *
 * <p>Trusts table syntax only; an unqualified result is qualified with myorigin. A table that
 * cannot be read is a TempFailException (4.3.0). Opens its tables once; thread-safe.
 */
public final class AddressMapping {
  /** Postfix's MAX_RECURSION in cleanup_map11.c. */
  static final int RECURSION_LIMIT = 10;

  /** One canonical map as a parameter configures it. */
  private record MapUse(ConfigKey key, CanonicalTable table, Set<AddressClass> classes,
      EntryLocator source) {}

  /** What one address became, and each entry that applied, in order. */
  public record Mapped(String address, List<VirtualAliasing.Step> steps) {
    public Mapped {
      steps = List.copyOf(steps);
    }
  }

  private final List<MapUse> senderMaps;
  private final List<MapUse> recipientMaps;
  private final boolean propagate;
  private final Masquerade masquerade;
  private final String myorigin;

  private AddressMapping(List<MapUse> senderMaps, List<MapUse> recipientMaps,
      boolean propagate, Masquerade masquerade, String myorigin) {
    this.senderMaps = senderMaps;
    this.recipientMaps = recipientMaps;
    this.propagate = propagate;
    this.masquerade = masquerade;
    this.myorigin = myorigin;
  }

  public static AddressMapping open(Config config) throws ConfigException {
    MapUse common = use(config, Params.CANONICAL_MAPS, Params.CANONICAL_CLASSES);
    return new AddressMapping(
        List.of(use(config, Params.SENDER_CANONICAL_MAPS, Params.SENDER_CANONICAL_CLASSES),
            common),
        List.of(use(config, Params.RECIPIENT_CANONICAL_MAPS, Params.RECIPIENT_CANONICAL_CLASSES),
            common),
        propagates(config, "canonical"), Masquerade.open(config), config.get(Params.MYORIGIN));
  }

  /** Whether propagate_unmatched_extensions lists {@code what} (canonical, generic). */
  public static boolean propagates(Config config, String what) {
    return config.list(Params.PROPAGATE_UNMATCHED_EXTENSIONS).stream()
        .anyMatch(what::equalsIgnoreCase);
  }

  /** The tables main.cf's {@code key} lists, searched in order, with their sources. */
  public static ConfiguredTable.Located tables(Config config, ConfigKey key)
      throws ConfigException {
    return ConfiguredTable.openLocated(config, key, new TableOpener(config.root(), w -> { }));
  }

  /** {@code tables} with canonical(5) lookups. */
  public static CanonicalTable canonical(Config config, ConfiguredTable.Located tables) {
    return new CanonicalTable(tables.table(), config.get(Params.RECIPIENT_DELIMITER),
        new OwnDomains(config));
  }

  private static MapUse use(Config config, ConfigKey maps, ConfigKey classes)
      throws ConfigException {
    ConfiguredTable.Located tables = tables(config, maps);
    return new MapUse(maps, canonical(config, tables), AddressClass.parse(config, classes),
        tables.locator());
  }

  /** {@code address} (qualified; "" is the null sender, left alone) as class {@code where}. */
  public Mapped map(String address, AddressClass where) throws TempFailException {
    List<VirtualAliasing.Step> steps = new ArrayList<>();
    boolean sender = where == AddressClass.ENVELOPE_SENDER || where == AddressClass.HEADER_SENDER;
    String a = address;
    for (MapUse use : sender ? senderMaps : recipientMaps) {
      if (use.classes().contains(where)) {
        a = mapOne(use, a, steps);
      }
    }
    Optional<VirtualAliasing.Step> m = masquerade.apply(a, where);
    if (m.isPresent()) {
      steps.add(m.get());
      a = m.get().value();
    }
    return new Mapped(a, steps);
  }

  /** cleanup_map11: the map applied until it gives nothing new. */
  private String mapOne(MapUse use, String address, List<VirtualAliasing.Step> steps)
      throws TempFailException {
    String a = address;
    for (int i = 0; i < RECURSION_LIMIT; i++) {
      Optional<CanonicalMatch> m;
      try {
        m = use.table().lookup(a, propagate);
      } catch (LookupException e) {
        throw new TempFailException("4.3.0",
            use.key().name() + ": table lookup failure: " + e.getMessage(), e);
      }
      if (m.isEmpty()) {
        return a;
      }
      String next = Addresses.qualify(m.get().address(), myorigin);
      steps.add(new VirtualAliasing.Step(a, m.get().key(), next,
          k -> use.key().name() + " " + use.source().find(k).orElse(k)));
      if (next.equalsIgnoreCase(a)) {
        return next;
      }
      a = next;
    }
    return a;
  }
}
