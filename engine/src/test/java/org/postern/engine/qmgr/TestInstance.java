package org.postern.engine.qmgr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.Config;
import org.postern.engine.global.MailLog;
import org.postern.engine.master.MailSystem;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.postdrop.MaildropWriter;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.hash.HashTableWriter;

/**
 * A relocatable instance built by hand in a temp directory, as an ordinary user would: main.cf
 * with root and the paths, a users file (alice, bob, carol, dave, all with the invoking user's
 * uid, so mailboxes are ours whether the tests run as root or not), the queue, spool and log.
 * Submits as sendmail does (a maildrop file) or writes queue files directly for crash tests.
 */
final class TestInstance {
  static final String DOMAIN = "example.org";
  static final String[] USERS = {"alice", "bob", "carol", "dave"};

  final Path root;
  final QueueDirectory queue;
  private final ProcessIdentity me;

  private TestInstance(Path root, ProcessIdentity me) {
    this.root = root;
    this.queue = new QueueDirectory(root.resolve("queue"));
    this.me = me;
  }

  /** Compiles the instance's alias table ({@code aliases.db}) from {@code entries}. */
  void aliases(Map<String, String> entries) throws IOException {
    HashTableWriter.write(root.resolve("aliases.db"), new ArrayList<>(entries.entrySet()), true,
        PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** Creates the instance; {@code extraMainCf} lines are appended to main.cf. */
  static TestInstance create(Path root, String... extraMainCf) throws IOException {
    TestInstance t = new TestInstance(root, ProcessIdentity.current());
    StringBuilder users = new StringBuilder();
    for (String u : USERS) {
      String name = Character.toUpperCase(u.charAt(0)) + u.substring(1);
      users.append(u).append(":x:").append(t.me.uid()).append(':').append(t.me.gid())
          .append(':').append(name).append(" Example:").append(root.resolve("home").resolve(u))
          .append(":/bin/sh\n");
      Files.createDirectories(root.resolve("home").resolve(u));
    }
    Files.writeString(root.resolve("users"), users.toString());
    Files.createDirectories(root.resolve("mail"));
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
        .append("default_privs = alice\n")
        .append("maillog_file = log/maillog\n")
        // A held lock fails at once: no test waits for a lock timeout.
        .append("deliver_lock_attempts = 1\n")
        .append("deliver_lock_delay = 0s\n");
    for (String line : extraMainCf) {
      cf.append(line).append('\n');
    }
    Files.writeString(root.resolve("main.cf"), cf.toString());
    t.queue.create();
    t.aliases(Map.of("postmaster", "alice"));
    return t;
  }

  MailSystem system() throws Exception {
    return MailSystem.open(Config.load(root));
  }

  /** One foreground queue run, retrying deferred mail at once ({@code sendmail -q}). */
  QueueRunner.Report run() throws Exception {
    return system().runQueue(true);
  }

  /** A submission as sendmail leaves it: -f sender (or none), recipients, content. */
  QueueId submitAs(String sender, String content, Recipient... rcpts) throws Exception {
    Map<String, String> attrs = new HashMap<>();
    if (sender != null) {
      attrs.put(Envelope.ATTR_SENDER_SET, "1");
    }
    Envelope env = new Envelope(System.currentTimeMillis(), me.uid(), me.name(),
        sender == null ? me.name() : sender, List.of(rcpts), attrs);
    return new MaildropWriter(queue).write(env, content.getBytes(StandardCharsets.UTF_8));
  }

  QueueId submit(String content, String... rcpts) throws Exception {
    return submitAs(null, content,
        Arrays.stream(rcpts).map(Recipient::new).toArray(Recipient[]::new));
  }

  /** A cleaned queue file written straight into a state directory (bypassing pickup). */
  QueueId enqueue(QueueState state, long arrivalMillis, String sender, String content,
      String... rcpts) throws IOException {
    QueueId id = QueueId.next();
    List<Recipient> r = new ArrayList<>();
    for (String a : rcpts) {
      r.add(new Recipient(a));
    }
    Envelope env = new Envelope(arrivalMillis, me.uid(), "alice", sender, r, Map.of());
    QueueFileWriter.write(queue.file(state, id), QueueDirectory.FILE_MODE, env,
        out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    return id;
  }

  /** Pickup alone, as a queue run starts it. */
  Map<QueueId, QueueId> pickupOnly() throws Exception {
    MailSystem s = system();
    Clock clock = Clock.systemDefaultZone();
    return new Pickup(queue, new Cleanup(s.config(), s.users(), clock),
        MailLog.to(System.err, "pickup"), clock).run();
  }

  Path mailbox(String user) {
    return root.resolve("mail").resolve(user);
  }

  /** The mailbox's bytes as text (ISO-8859-1: one char per byte), or "" when absent. */
  String mbox(String user) throws IOException {
    Path p = mailbox(user);
    return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1) : "";
  }

  /** Messages in the mailbox: its From_ lines (body lines are quoted as ">From "). */
  long messages(String user) throws IOException {
    return mbox(user).lines().filter(l -> l.startsWith("From ")).count();
  }

  String log() throws IOException {
    Path p = root.resolve("log/maillog");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  List<QueueId> list(QueueState state) throws IOException {
    return queue.list(state);
  }

  /** Every queue file and status file still present, for "nothing left behind" checks. */
  List<String> leftovers() throws IOException {
    List<String> out = new ArrayList<>();
    for (QueueState s : QueueState.values()) {
      if (s == QueueState.CORRUPT) {
        continue;
      }
      try (Stream<Path> files = Files.list(queue.dir(s))) {
        files.forEach(p -> out.add(s.dirName() + "/" + p.getFileName()));
      }
    }
    try (Stream<Path> files = Files.list(queue.root().resolve("status"))) {
      files.forEach(p -> out.add("status/" + p.getFileName()));
    }
    return out;
  }

  /** Holds the user's mailbox dotlock, as an MUA would. */
  Path lock(String user) throws IOException {
    return Files.createFile(root.resolve("mail").resolve(user + ".lock"));
  }
}
