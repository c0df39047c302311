package org.postern.engine.cleanup;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * Address masquerading as Postfix's cleanup does it (cleanup_masquerade.c): an address whose
 * domain is a subdomain of a {@code masquerade_domains} entry loses the subdomain
 * ({@code user@host.sub.example.com} becomes {@code user@example.com}); the entries are tried in
 * the order written and the first that matches decides, so {@code !host.example.com} before
 * {@code example.com} keeps that host's addresses, and an address already in a listed domain
 * is left alone. Local parts in {@code masquerade_exceptions} are never masqueraded; only the
 * classes in {@code masquerade_classes} are.
 *
 * <p>Trusts the configuration (lists of names). Pure; immutable and thread-safe.
 */
public final class Masquerade {
  private final List<String> domains;
  private final List<String> exceptions;
  private final Set<AddressClass> classes;

  Masquerade(List<String> domains, List<String> exceptions, Set<AddressClass> classes) {
    this.domains = List.copyOf(domains);
    this.exceptions = exceptions.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
    this.classes = Set.copyOf(classes);
  }

  public static Masquerade open(Config config) throws ConfigException {
    return new Masquerade(config.list(Params.MASQUERADE_DOMAINS),
        config.list(Params.MASQUERADE_EXCEPTIONS),
        AddressClass.parse(config, Params.MASQUERADE_CLASSES));
  }

  /** The entry that applied and the masqueraded address, when {@code address} changes. */
  public Optional<VirtualAliasing.Step> apply(String address, AddressClass where) {
    int at = address.lastIndexOf('@');
    if (at < 0 || domains.isEmpty() || !classes.contains(where)
        || exceptions.contains(address.substring(0, at).toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
    for (String entry : domains) {
      String masq = entry.replaceFirst("^!+", "").toLowerCase(Locale.ROOT);
      // An even number of '!' cancels out, as in Postfix.
      boolean truncate = (entry.length() - masq.length()) % 2 == 0;
      if (masq.isEmpty()) {
        continue;
      }
      if (domain.equals(masq)) {
        return Optional.empty();
      }
      if (domain.endsWith("." + masq)) {
        if (!truncate) {
          return Optional.empty();
        }
        String result = address.substring(0, at + 1) + masq;
        return Optional.of(new VirtualAliasing.Step(address, entry, result,
            k -> Params.MASQUERADE_DOMAINS.name() + " " + k));
      }
    }
    return Optional.empty();
  }
}
