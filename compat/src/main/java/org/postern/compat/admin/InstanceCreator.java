package org.postern.compat.admin;

import org.postern.engine.util.ProcessIdentity;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import org.postern.engine.queue.QueueDirectory;
import org.postern.maps.aliases.AliasDatabase;
import org.postern.maps.aliases.AliasSource;
import org.postern.maps.io.DurableFiles;
import org.postern.maps.passwd.PasswdEntry;

/**
 * Lays out a new, self-contained instance in a directory: main.cf, the users and aliases
 * files, the users' homes, the queue, the mail spool and the log directory.
 *
 * <p>Trusts its caller for the directory (absolute, free of main.cf) and the entries. Owns the
 * files it creates; it never overwrites one (an existing users or aliases file is kept and
 * warned about). main.cf is written last, so a failed run can simply be repeated. Mail spool:
 * for an ordinary user {@code 0755}, as the instance owner delivers to it; as root it is
 * root-owned {@code 2775} with group {@code mail} when that group exists (Debian's
 * {@code /var/mail}), else {@code 1777} so that users can still create their mailboxes.
 * Homes are chowned to their users only when running as root. Every failure is an
 * IOException naming the path. Not thread-safe (one run at a time per directory).
 */
final class InstanceCreator {
  private static final String FILE_MODE = "rw-r--r--";
  private static final String DIR_MODE = "rwxr-xr-x";
  private static final int SPOOL_MODE_MAIL_GROUP = 02775;
  private static final int SPOOL_MODE_NO_GROUP = 01777;

  private final Path dir;
  private final ProcessIdentity invoker;
  private final PrintStream err;

  InstanceCreator(Path dir, ProcessIdentity invoker, PrintStream err) {
    this.dir = dir;
    this.invoker = invoker;
    this.err = err;
  }

  void create(List<PasswdEntry> users) throws IOException {
    // Directories first: the instance, its log directory, the homes.
    Files.createDirectories(dir);
    Files.createDirectories(dir.resolve("log"));
    for (PasswdEntry user : users) {
      createHome(user);
    }
    // Tables: the users of the instance and an aliases file sending postmaster to the owner.
    writeIfAbsent(dir.resolve("users"), usersText(users));
    writeIfAbsent(dir.resolve("aliases"),
        "# aliases(5), sendmail's format: \"name: recipient, ...\". Run newaliases after"
            + " editing.\npostmaster: " + invoker.name() + "\n");
    Path aliases = dir.resolve("aliases");
    AliasDatabase.build(aliases, AliasSource.read(aliases));
    // The queue and the spool.
    new QueueDirectory(dir.resolve("queue")).create();
    createSpool(dir.resolve("mail"));
    // main.cf last: its presence marks a complete instance.
    DurableFiles.write(dir.resolve("main.cf"), FILE_MODE,
        out -> out.write(mainCf(invoker.name()).getBytes(StandardCharsets.UTF_8)));
  }

  private void createHome(PasswdEntry user) throws IOException {
    Path home = user.home();
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString(DIR_MODE));
    if (invoker.isRoot()) {
      Files.setAttribute(home, "unix:uid", user.uid());
      Files.setAttribute(home, "unix:gid", user.gid());
    }
  }

  private void createSpool(Path spool) throws IOException {
    Files.createDirectories(spool);
    if (!invoker.isRoot()) {
      Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString(DIR_MODE));
      return;
    }
    GroupPrincipal mail;
    try {
      mail = spool.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByGroupName("mail");
    } catch (UserPrincipalNotFoundException e) {
      // No mail group to share the spool with: sticky and world-writable, as /tmp.
      Files.setAttribute(spool, "unix:mode", SPOOL_MODE_NO_GROUP);
      return;
    }
    Files.getFileAttributeView(spool, PosixFileAttributeView.class).setGroup(mail);
    Files.setAttribute(spool, "unix:mode", SPOOL_MODE_MAIL_GROUP);
  }

  private void writeIfAbsent(Path file, String text) throws IOException {
    if (Files.exists(file)) {
      err.println("postern: warning: " + file + " exists; left unchanged");
      return;
    }
    DurableFiles.write(file, FILE_MODE, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String usersText(List<PasswdEntry> users) {
    StringBuilder text = new StringBuilder(
        "# passwd(5) format: the local users of this instance (local_users_file).\n");
    for (PasswdEntry user : users) {
      text.append(user.toLine()).append('\n');
    }
    return text.toString();
  }

  private String mainCf(String owner) {
    String trusted = owner.equals("root") ? "root" : "root, " + owner;
    return "# main.cf of the Postern instance in " + dir + ", made by \"postern init\".\n"
        + "# One \"name = value\" per line; every Postfix-named parameter that Postern knows\n"
        + "# can be set here (\"postern -C " + dir + " config\" lists them all).\n"
        + "# Relative paths are relative to root.\n"
        + "root = " + dir + "\n"
        + "queue_directory = queue\n"
        + "mail_spool_directory = mail\n"
        + "maillog_file = log/maillog\n"
        + "local_users_file = users\n"
        + "alias_maps = hash:aliases\n"
        + "alias_database = hash:aliases\n"
        + "mail_owner = " + owner + "\n"
        + "# The SMTP server listens nowhere until told, e.g. smtpd_listen = 127.0.0.1:2525\n"
        + "smtpd_listen =\n"
        + "# Commands and files in aliases owned by root run as this user (no switching).\n"
        + "default_privs = " + owner + "\n"
        + "# The owner may set the envelope sender (-f) without X-Authentication-Warning.\n"
        + "trusted_users = " + trusted + "\n";
  }
}
