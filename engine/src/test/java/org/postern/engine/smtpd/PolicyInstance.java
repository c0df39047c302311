package org.postern.engine.smtpd;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.master.MailSystem;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.hash.HashTableWriter;

/**
 * A relocatable instance in a temp directory for policy tests: users alice and bob, the
 * alias postmaster, mydestination {@code mail.example.org, example.org, localhost}, and the
 * access map and virtusertable compiled as postmap would ({@code access.db},
 * {@code virtusertable.db}, keys folded).
 */
final class PolicyInstance {
  final Path root;

  private PolicyInstance(Path root) {
    this.root = root;
  }

  static PolicyInstance create(Path root, String... extraMainCf) throws IOException {
    ProcessIdentity me = ProcessIdentity.current();
    StringBuilder users = new StringBuilder();
    for (String u : List.of("alice", "bob")) {
      users.append(u).append(":x:").append(me.uid()).append(':').append(me.gid())
          .append("::").append(root.resolve("home").resolve(u)).append(":/bin/sh\n");
    }
    Files.writeString(root.resolve("users"), users.toString());
    Files.createDirectories(root.resolve("log"));
    StringBuilder cf = new StringBuilder()
        .append("root = ").append(root).append('\n')
        .append("myhostname = mail.example.org\n")
        .append("myorigin = example.org\n")
        .append("mydestination = mail.example.org, example.org, localhost\n")
        .append("queue_directory = queue\n")
        .append("mail_spool_directory = mail\n")
        .append("local_users_file = users\n")
        .append("alias_maps = hash:aliases\n")
        .append("access_map = hash:access\n")
        .append("virtusertable_map = hash:virtusertable\n")
        .append("maillog_file = log/maillog\n");
    for (String line : extraMainCf) {
      cf.append(line).append('\n');
    }
    Files.writeString(root.resolve("main.cf"), cf.toString());
    PolicyInstance p = new PolicyInstance(root);
    p.table("aliases", "postmaster", "alice");
    return p;
  }

  /** Compiles {@code name.db} from key/value pairs, keys folded as postmap folds them. */
  void table(String name, String... keysAndValues) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      entries.put(keysAndValues[i].toLowerCase(Locale.ROOT), keysAndValues[i + 1]);
    }
    HashTableWriter.write(root.resolve(name + ".db"), new ArrayList<>(entries.entrySet()), true,
        PosixFilePermissions.fromString("rw-r--r--"));
  }

  StandardPolicy policy() throws Exception {
    Config config = Config.load(root);
    return new StandardPolicy(config, MailSystem.open(config));
  }

  static ClientFacts client(String ip, String hostname) throws IOException {
    return new ClientFacts(InetAddress.getByName(ip), hostname, Optional.empty(), false, false,
        false);
  }
}
