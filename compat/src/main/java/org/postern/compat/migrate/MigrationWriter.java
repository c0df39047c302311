package org.postern.compat.migrate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Optional;
import org.postern.compat.postmap.MapBuilder;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableSpec;
import org.postern.maps.aliases.AliasDatabase;
import org.postern.maps.aliases.AliasSource;
import org.postern.maps.io.DurableFiles;
import org.postern.maps.source.PostmapSource;

/**
 * Writes a migration under Postern's configuration directory: each table's source and its
 * compiled {@code .db} (postmap's code path), the alias files' {@code .db} beside them
 * (newaliases' code path, replacing the old MTA's Berkeley DB), then main.cf, each durably
 * (temp file, fsync, rename); main.cf is not rewritten when its text is unchanged.
 *
 * <p>Trusts the model (readers built it) and the merged main.cf text. A secret table is mode
 * 0640 and, when a group named as the mail owner exists (the package's {@code postern}),
 * that group's, so the daemon reads it as mail_owner and other users cannot. Failures are
 * IOException (a file that cannot be written) or TableConfigException (a table postmap
 * refuses), both before main.cf names the tables. Stateless.
 */
final class MigrationWriter {
  private MigrationWriter() {}

  static void write(Path root, Migration m, List<String> mainCfLines, String mailOwner,
      PrintStream err) throws IOException, TableConfigException {
    Path configDir = Files.createDirectories(OldTables.configDir(root));
    MapBuilder builder = new MapBuilder(PostmapSource.Options.DEFAULT, err, false);
    Optional<GroupPrincipal> group = group(configDir, mailOwner);
    for (MigratedTable t : m.tables()) {
      Path source = configDir.resolve(t.fileName());
      DurableFiles.write(source, t.secret() ? "rw-r-----" : "rw-r--r--",
          out -> out.write(text(t.lines()).getBytes(StandardCharsets.UTF_8)));
      builder.compile(new TableSpec("hash", source.toString()), source);
      if (t.secret() && group.isPresent()) {
        setGroup(source, group.get());
        setGroup(source.resolveSibling(source.getFileName() + ".db"), group.get());
      }
    }
    for (String file : m.aliasFiles()) {
      Path source = root.resolve(file.substring(1));
      AliasDatabase.build(source, AliasSource.read(source));
    }
    Path mainCf = configDir.resolve("main.cf");
    String text = text(mainCfLines);
    if (!Files.exists(mainCf)
        || !Files.readString(mainCf, StandardCharsets.UTF_8).equals(text)) {
      DurableFiles.write(mainCf, "rw-r--r--",
          out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
  }

  static String text(List<String> lines) {
    StringBuilder b = new StringBuilder();
    for (String line : lines) {
      b.append(line).append('\n');
    }
    return b.toString();
  }

  private static Optional<GroupPrincipal> group(Path dir, String name) throws IOException {
    try {
      return Optional.of(
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name));
    } catch (UserPrincipalNotFoundException e) {
      return Optional.empty(); // no such group (a test instance): the file keeps our group
    }
  }

  private static void setGroup(Path file, GroupPrincipal group) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (!view.readAttributes().group().equals(group)) {
      view.setGroup(group);
    }
  }
}
