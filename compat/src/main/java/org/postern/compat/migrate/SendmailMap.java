package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.maps.source.MakemapSource;
import org.postern.maps.source.SourceEntry;

/**
 * The source of one of sendmail's makemap tables ({@code /etc/mail/access},
 * {@code authinfo}, {@code genericstable}), read as makemap reads it, keys kept as written
 * (makemap folds them when it builds, and so does postmap), with its name as under the
 * migrated root for origins.
 *
 * <p>Trusts nothing in the file; lines makemap would refuse are left out, as makemap leaves
 * them out of the map. A missing file has no entries. Immutable.
 */
record SendmailMap(String name, List<SourceEntry> entries) {
  /** makemap's defaults, but keys as written: the copy keeps the administrator's text. */
  private static final MakemapSource.Options AS_WRITTEN = new MakemapSource.Options(false,
      MakemapSource.Duplicates.ERROR_KEEP_FIRST, Optional.empty(), Optional.of('#'), false,
      false);

  SendmailMap {
    entries = List.copyOf(entries);
  }

  static SendmailMap read(Path root, String name) throws IOException {
    Path file = SendmailReader.under(root, name);
    if (!Files.isRegularFile(file)) {
      return new SendmailMap(name, List.of());
    }
    return new SendmailMap(name,
        MakemapSource.read(file, AS_WRITTEN).entries());
  }

  /** The entries whose key starts with {@code tag} ({@code AuthInfo:}), in any case. */
  List<SourceEntry> tagged(String tag) {
    String folded = tag.toLowerCase(Locale.ROOT);
    return entries.stream()
        .filter(e -> e.key().toLowerCase(Locale.ROOT).startsWith(folded)).toList();
  }

  String origin(SourceEntry entry) {
    return name + ":" + entry.line();
  }

  /** The entries as postmap source lines ({@code key value}). */
  static List<String> lines(List<SourceEntry> entries) {
    return entries.stream().map(e -> e.key() + " " + e.value()).toList();
  }
}
