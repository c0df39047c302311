package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * sendmail's configuration under {@code /etc/mail}: {@code sendmail.mc} (McReader) or, without
 * one or when m4 could not read it, the frozen {@code sendmail.cf} (CfReader), and the files
 * they name. Trusts nothing in them (see {@link MtaReader}). Stateless.
 */
public final class SendmailReader implements MtaReader {
  private static final String MC = "/etc/mail/sendmail.mc";
  private static final String CF = "/etc/mail/sendmail.cf";

  @Override
  public String name() {
    return "sendmail";
  }

  @Override
  public boolean presentIn(Path root) {
    return Files.isRegularFile(under(root, MC)) || Files.isRegularFile(under(root, CF));
  }

  @Override
  public Migration read(Path root) throws IOException {
    Migration.Builder out = new Migration.Builder(name());
    if (Files.isRegularFile(under(root, MC))) {
      try {
        McReader.read(root, McDefinitions.read(root, MC), MC, out);
        return out.build();
      } catch (McSyntaxException e) {
        out.decide(e.origin(), e.problem() + ": m4 cannot build it either; " + CF
            + " was read instead");
      }
    }
    if (Files.isRegularFile(under(root, CF))) {
      CfReader.read(root, CF, out);
    }
    return out.build();
  }

  /**
   * The file {@code name} (absolute, as sendmail names it) under the migrated root; as a
   * string, what main.cf calls it (the name itself when the root is {@code /}).
   */
  static Path under(Path root, String name) {
    return root.resolve(name.startsWith("/") ? name.substring(1) : name);
  }

  /** What main.cf calls the table {@code fileName} a migration writes (OldTables' place). */
  static String posternTable(Path root, String fileName) {
    return OldTables.configDir(root).resolve(fileName).toString();
  }

  /**
   * The file of a map spec ({@code hash -o /etc/mail/access}, {@code `hash
   * /etc/mail/authinfo'}): its last absolute word, or {@code defaultFile} for an empty spec.
   * A {@code .db} the administrator wrote is dropped, as sendmail's hash maps drop it.
   */
  static String mapFile(String spec, String defaultFile) {
    String file = defaultFile;
    for (String word : spec.strip().split("\\s+")) {
      if (word.startsWith("/")) {
        file = word.endsWith(".db") ? word.substring(0, word.length() - 3) : word;
      }
    }
    return file;
  }
}
