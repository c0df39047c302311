package org.postern.engine.smtpd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;

/**
 * A list of domains as Postfix's {@code relay_domains} writes them: {@code example.com}
 * (the domain and its subdomains, as Postfix's parent_domain_matches_subdomains default and
 * sendmail's class R match), {@code .example.com} (subdomains only), {@code /file/name}
 * (more patterns, read at startup), {@code type:table} (the domain, then each parent, is a
 * key) and {@code !pattern} (not these); the first pattern that matches decides.
 *
 * <p>Trusts the configuration; an unreadable file or table is a ConfigException at startup, a
 * table that fails later a TempFailException. Tables follow rebuilds. Thread-safe.
 */
final class DomainList {
  private record Pattern(boolean negated, String domain, Optional<Table> table) {}

  private final List<Pattern> patterns;

  private DomainList(List<Pattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  static DomainList from(Config config, ConfigKey key, TableOpener opener)
      throws ConfigException {
    List<Pattern> out = new ArrayList<>();
    for (String item : config.list(key)) {
      add(out, item, key, opener);
    }
    return new DomainList(out);
  }

  private static void add(List<Pattern> out, String item, ConfigKey key, TableOpener opener)
      throws ConfigException {
    boolean negated = item.startsWith("!");
    String p = negated ? item.substring(1) : item;
    if (p.startsWith("/")) {
      for (String word : words(Path.of(p), key)) {
        add(out, negated ? "!" + word : word, key, opener);
      }
    } else if (p.indexOf(':') > 0) {
      try {
        out.add(new Pattern(negated, "", Optional.of(opener.open(TableSpec.parse(p)))));
      } catch (TableConfigException e) {
        throw new ConfigException(key.name() + ": " + e.getMessage(), e);
      }
    } else {
      String d = p.toLowerCase(Locale.ROOT);
      out.add(new Pattern(negated, d.endsWith(".") ? d.substring(0, d.length() - 1) : d,
          Optional.empty()));
    }
  }

  private static List<String> words(Path file, ConfigKey key) throws ConfigException {
    List<String> words = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          words.addAll(List.of(l.split("[\\s,]+")));
        }
      }
    } catch (IOException e) {
      throw new ConfigException(key.name() + ": open " + file + ": " + e.getMessage(), e);
    }
    return words;
  }

  /** Whether {@code domain} (lower case, no trailing dot) is in the list. */
  boolean contains(String domain) throws TempFailException {
    for (Pattern p : patterns) {
      if (matches(p, domain)) {
        return !p.negated();
      }
    }
    return false;
  }

  private static boolean matches(Pattern p, String domain) throws TempFailException {
    if (p.table().isPresent()) {
      return inTable(p.table().get(), domain);
    }
    if (p.domain().startsWith(".")) {
      return domain.endsWith(p.domain());
    }
    return domain.equals(p.domain()) || domain.endsWith("." + p.domain());
  }

  /** Postfix match_hostname: the domain, then each parent as itself or as {@code .parent}. */
  private static boolean inTable(Table table, String domain) throws TempFailException {
    try {
      if (table.lookup(domain).isPresent()) {
        return true;
      }
      for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
        String parent = domain.substring(dot + 1);
        if (table.lookup(parent).isPresent() || table.lookup("." + parent).isPresent()) {
          return true;
        }
      }
      return false;
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", table.name() + ": table lookup failure: "
          + e.getMessage(), e);
    }
  }
}
