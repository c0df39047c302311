package org.postern.compat.migrate;

import java.util.ArrayList;
import java.util.List;
import org.postern.maps.aliases.AliasValue;
import org.postern.maps.source.SourceEntry;

/**
 * A Postfix virtual(5) table as sendmail's virtusertable, which Postern's virtusertable_map
 * reads: {@code user@domain} keys stay, {@code @domain @other} becomes
 * {@code @domain %1@other}, the {@code domain anything} lines that declare a virtual alias
 * domain go (Postern takes a domain's mail when the table has entries in it), and a bare
 * {@code user} key (Postfix: that user in any local domain) is left for a decision.
 *
 * <p>Trusts nothing in the table. Not thread-safe (fills one builder).
 */
final class PostfixVirtual implements OldTables.Converter {
  private final Migration.Builder b;

  PostfixVirtual(Migration.Builder b) {
    this.b = b;
  }

  @Override
  public List<String> lines(List<SourceEntry> entries, String file) {
    List<String> lines = new ArrayList<>();
    for (SourceEntry e : entries) {
      String key = e.key();
      if (!key.contains("@")) {
        if (!key.contains(".")) {
          b.decide(file + ":" + e.line(), "virtual alias " + key + " (a local part alone)"
              + " is not carried: add it to /etc/aliases if local users need it");
        }
        continue;
      }
      if (!key.startsWith("@")) {
        lines.add(key + " " + e.value());
        continue;
      }
      List<String> targets = new ArrayList<>();
      for (String t : AliasValue.split(e.value())) {
        targets.add(t.startsWith("@") ? "%1" + t : t);
      }
      lines.add(key + " " + String.join(", ", targets));
    }
    return lines;
  }
}
