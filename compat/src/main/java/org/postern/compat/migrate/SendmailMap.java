package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.postern.maps.source.MakemapSource;
import org.postern.maps.source.SourceEntry;

/**
 * The source of one of sendmail's makemap tables ({@code /etc/mail/access},
 * {@code authinfo}, {@code genericstable}), read as makemap reads it (keys folded to lower
 * case), with its name as under the migrated root for origins.
 *
 * <p>Trusts nothing in the file; lines makemap would refuse are left out, as makemap leaves
 * them out of the map. A missing file has no entries. Immutable.
 */
record SendmailMap(String name, List<SourceEntry> entries) {
  SendmailMap {
    entries = List.copyOf(entries);
  }

  static SendmailMap read(Path root, String name) throws IOException {
    Path file = SendmailReader.under(root, name);
    if (!Files.isRegularFile(file)) {
      return new SendmailMap(name, List.of());
    }
    return new SendmailMap(name,
        MakemapSource.read(file, MakemapSource.Options.DEFAULT).entries());
  }

  /** The entries whose key starts with {@code tag} ({@code AuthInfo:}, {@code TLS_Srv:}). */
  List<SourceEntry> tagged(String tag) {
    String folded = tag.toLowerCase(Locale.ROOT);
    return entries.stream().filter(e -> e.key().startsWith(folded)).toList();
  }

  String origin(SourceEntry entry) {
    return name + ":" + entry.line();
  }

  /** The entries as postmap source lines ({@code key value}). */
  static List<String> lines(List<SourceEntry> entries) {
    return entries.stream().map(e -> e.key() + " " + e.value()).toList();
  }
}
