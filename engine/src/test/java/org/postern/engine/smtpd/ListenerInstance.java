package org.postern.engine.smtpd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.util.ProcessIdentity;

/**
 * An instance in a temp directory for SMTP listener tests: the invoking user and alice as
 * local users, mydestination {@code mail.example.org, example.org, localhost}, a queue, the
 * log in {@code log/maillog}, no peer name lookups and fast error replies; extra main.cf
 * lines on top (a later line replaces an earlier one, e.g. the base smtpd_listen =
 * 127.0.0.1:0;
 * rewrite them and {@link #config} again to test a reload).
 */
final class ListenerInstance {
  static final List<String> DOMAINS = List.of("mail.example.org", "example.org", "localhost");

  final Path root;

  private ListenerInstance(Path root) {
    this.root = root;
  }

  static ListenerInstance create(Path root, String... extraMainCf) throws IOException {
    ProcessIdentity me = ProcessIdentity.current();
    Files.writeString(root.resolve("users"),
        me.name() + ":x:" + me.uid() + ":" + me.gid() + "::" + root + ":/bin/sh\n"
            + "alice:x:" + me.uid() + ":" + me.gid() + "::" + root + ":/bin/sh\n");
    Files.createDirectories(root.resolve("log"));
    Files.createDirectories(root.resolve("mail"));
    new QueueDirectory(root.resolve("queue")).create();
    ListenerInstance instance = new ListenerInstance(root);
    instance.writeMainCf(extraMainCf);
    return instance;
  }

  /** Rewrites main.cf: the base settings, then {@code extra}. */
  void writeMainCf(String... extra) throws IOException {
    StringBuilder cf = new StringBuilder("root = " + root + "\n"
        + "myhostname = mail.example.org\nmyorigin = example.org\n"
        + "mydestination = mail.example.org, example.org, localhost\n"
        + "queue_directory = queue\nmail_spool_directory = mail\nlocal_users_file = users\n"
        + "alias_maps = hash:aliases\nmaillog_file = log/maillog\n"
        + "mail_owner = " + ProcessIdentity.current().name() + "\n"
        + "smtpd_listen = 127.0.0.1:0\n"
        + "smtpd_peername_lookup = no\nsmtpd_error_sleep_time = 0s\nsmtpd_timeout = 5s\n");
    for (String line : extra) {
      cf.append(line).append('\n');
    }
    Files.writeString(root.resolve("main.cf"), cf.toString());
  }

  Config config() throws ConfigException {
    return Config.load(root);
  }

  MailSystem system() throws ConfigException {
    return MailSystem.open(config());
  }

  /** A listener with the transcript policy, serving on its own thread. */
  SmtpListener listen() throws Exception {
    Config config = config();
    SmtpListener listener = SmtpListener.open(config, MailSystem.open(config), policy(),
        () -> {});
    Thread t = new Thread(listener::serve, "test-smtpd");
    t.setDaemon(true);
    t.start();
    return listener;
  }

  static SmtpListener.PolicySource policy() {
    return c -> new TranscriptPolicy(DOMAINS);
  }

  String log() throws IOException {
    Path log = root.resolve("log/maillog");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Waits up to 3 s for a log line containing {@code text}; the whole log either way. */
  String awaitLog(String text) throws Exception {
    String log = log();
    for (int i = 0; i < 60 && !log.contains(text); i++) {
      Thread.sleep(50);
      log = log();
    }
    return log;
  }
}
