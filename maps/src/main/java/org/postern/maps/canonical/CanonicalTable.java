package org.postern.maps.canonical;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.postern.maps.LookupException;
import org.postern.maps.Table;

/**
 * A one-to-one address table with canonical(5) and generic(5) semantics (Postfix's
 * mail_addr_map with the default lookup strategy) over any {@link Table}. For
 * {@code user+ext@domain} the keys are, in order: {@code user+ext@domain}, {@code user@domain};
 * when the domain is this machine's ({@code isLocal}: myorigin, mydestination, an interface
 * literal): {@code user+ext}, {@code user}; then {@code @domain}. A value {@code @other} keeps
 * the local part (without an extension that did not match); when {@code propagate}, an
 * extension the key did not include is put back into the result's local part.
 *
 * <p>Trusts table values no further than taking the first address of a list. Keys are looked
 * up in lower case, as hash tables fold them. A table failure is a {@link LookupException},
 * never "not found". Owns nothing; thread-safe if the table and the predicate are.
 */
public final class CanonicalTable {
  private final Table table;
  private final String delimiters;
  private final Predicate<String> isLocal;

  /** {@code delimiters}: recipient_delimiter, each character a delimiter ("" for none). */
  public CanonicalTable(Table table, String delimiters, Predicate<String> isLocal) {
    this.table = table;
    this.delimiters = delimiters;
    this.isLocal = isLocal;
  }

  /** The table's {@code type:name}. */
  public String name() {
    return table.name();
  }

  /** The entry that applies to {@code address}, if any; the null sender is never looked up. */
  public Optional<CanonicalMatch> lookup(String address, boolean propagate)
      throws LookupException {
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int at = address.lastIndexOf('@');
    String local = at < 0 ? address : address.substring(0, at);
    String domain = at < 0 ? "" : address.substring(at);
    int split = extensionAt(local);
    String user = split < 0 ? local : local.substring(0, split);
    String extension = split < 0 ? "" : local.substring(split);

    // user+ext@domain, then user@domain (the extension did not match).
    String kept = propagate ? extension : "";
    Optional<CanonicalMatch> m = find(local + domain, local, "");
    if (m.isEmpty() && split >= 0) {
      m = find(user + domain, user, kept);
    }
    // user+ext, then user, only for our own domains (canonical(5)).
    if (m.isEmpty() && at >= 0 && isLocal.test(domain.substring(1))) {
      m = find(local, local, "");
      if (m.isEmpty() && split >= 0) {
        m = find(user, user, kept);
      }
    }
    // @domain keeps the whole local part.
    if (m.isEmpty() && at >= 0) {
      m = find(domain, local, "");
    }
    return m;
  }

  /**
   * A match for {@code key}: the value, an {@code @domain} value after {@code local}, and
   * {@code unmatched} (an extension the key lacked, when propagated) after the local part.
   */
  private Optional<CanonicalMatch> find(String key, String local, String unmatched)
      throws LookupException {
    String k = key.toLowerCase(Locale.ROOT);
    Optional<String> value = table.lookup(k).map(String::strip).filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    // mail_addr_crunch: the first address of a list is the one that counts.
    String first = value.get().split("[,\\s]+", 2)[0];
    String result = first.startsWith("@") ? local + first : first;
    return Optional.of(new CanonicalMatch(k, value.get(), insert(result, unmatched)));
  }

  /** {@code address} with {@code extension} appended to its local part. */
  private static String insert(String address, String extension) {
    if (extension.isEmpty()) {
      return address;
    }
    int at = address.lastIndexOf('@');
    return at < 0 ? address + extension : address.substring(0, at) + extension
        + address.substring(at);
  }

  /** Where the extension of {@code local} starts (at its delimiter), or -1. */
  private int extensionAt(String local) {
    for (int i = 1; i < local.length(); i++) {
      if (delimiters.indexOf(local.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
