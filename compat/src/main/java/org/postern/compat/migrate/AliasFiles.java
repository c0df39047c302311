package org.postern.compat.migrate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.postern.engine.global.Params;

/**
 * sendmail's alias files ({@code define(`ALIAS_FILE', ...)}, {@code O AliasFile=}) as
 * alias_maps and alias_database. Debian's sendmail names {@code /etc/mail/aliases}, a link
 * to {@code /etc/aliases} its package removes; that one is {@code /etc/aliases}. Files with a
 * map type ({@code nis:mail.aliases}) have no Postern equivalent and are reported.
 *
 * <p>Trusts nothing in the text. Stateless.
 */
final class AliasFiles {
  private static final String DEBIAN_LINK = "/etc/mail/aliases";

  private AliasFiles() {}

  static void carry(Path root, String list, String origin, Migration.Builder out) {
    List<String> maps = new ArrayList<>();
    for (String item : list.split(",")) {
      String file = item.strip();
      if (file.startsWith("/")) {
        String name = file.equals(DEBIAN_LINK) ? "/etc/aliases" : file;
        maps.add("hash:" + SendmailReader.under(root, name));
      } else if (!file.isEmpty()) {
        out.notCarried(origin, "alias file " + file,
            "only alias files are read: its aliases are unknown to Postern");
      }
    }
    if (!maps.isEmpty()) {
      out.carry(Params.ALIAS_MAPS.name(), String.join(", ", maps), origin);
      out.carry(Params.ALIAS_DATABASE.name(), String.join(", ", maps), origin);
    }
  }
}
