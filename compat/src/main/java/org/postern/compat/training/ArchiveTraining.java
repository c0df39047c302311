package org.postern.compat.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.postern.compat.admin.PosternCommand;
import org.postern.compat.launch.Halt;
import org.postern.compat.mailq.ShowqServer;
import org.postern.compat.makemap.MakemapCommand;
import org.postern.compat.postmap.PostmapCommand;
import org.postern.compat.praliases.PraliasesCommand;
import org.postern.compat.sendmail.SendmailCommand;
import org.postern.engine.global.Config;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.showq.QueueScanner;

/**
 * The workload recorded into the class-data archives by bin/lib/build-cds.sh: the real path of
 * every command that starts a JVM, so that each starts from an archive. By launcher group:
 * {@code sendmail} (a submission with {@code sendmail -odq}, {@code mailq}, {@code sendmail
 * -bi}), {@code newaliases} ({@code -oA} and the instance's alias_database), {@code praliases},
 * {@code postern} ({@code config}, and {@code queue --json} asking a showq server run here, as
 * the daemon's) and {@code postmap} ({@code postmap} build, {@code -q}, {@code -s}, and
 * {@code makemap}); without a group, all of them in one JVM.
 *
 * <p>Runs only at build or install time, against the scratch instance it is given; exits
 * non-zero when a command fails, so a broken build never produces an archive silently.
 */
public final class ArchiveTraining {
  /** The launcher groups, each recorded alone into its own archive on Java 25 and later. */
  private static final List<String> GROUPS =
      List.of("sendmail", "newaliases", "praliases", "postern", "postmap");

  private ArchiveTraining() {}

  /** {@code ArchiveTraining INSTANCE_DIR USER [GROUP]}. */
  public static void main(String[] args) throws Exception {
    Path instance = Path.of(args[0]);
    List<String> groups = args.length > 2 ? List.of(args[2]) : GROUPS;
    boolean ok = GROUPS.containsAll(groups);
    for (String group : groups) {
      ok = ok && train(group, instance, args[1]);
    }
    // A halt, as the commands it trains end (a delivery the submission may have started in
    // the scratch instance does not matter): System.exit would put its Java 21+ logging
    // classes into every archive, and an AOT cache loads all its classes at each start.
    Halt.exit(ok ? 0 : 1);
  }

  /** Runs the commands of {@code group}; false when one of them fails. */
  private static boolean train(String group, Path instance, String user) throws Exception {
    Map<String, String> env = System.getenv();
    String inst = instance.toString();
    Path table = instance.resolve("training-table");
    Files.writeString(table, "key@example.org value\nother@example.org OK\n");
    Path aliases = instance.resolve("training-aliases");
    Files.writeString(aliases, "postmaster: root\nlist: a, b, \"|/bin/true\"\n");
    String message = "From: cds@example.org\nSubject: training\n\nhello\n";
    String t = table.toString();
    switch (group) {
      case "sendmail":
        return ran(new SendmailCommand(env, "sendmail")
                .run(in(message), quiet(), System.err, "-C", inst, "-odq", "-i", user))
            && ran(new SendmailCommand(env, "mailq").run(in(""), quiet(), System.err, "-C", inst))
            && ran(new SendmailCommand(env, "sendmail")
                .run(in(""), quiet(), System.err, "-C", inst, "-bi"));
      case "newaliases":
        return ran(new SendmailCommand(env, "newaliases")
                .run(in(""), quiet(), System.err, "-C", inst, "-oA" + aliases))
            && ran(new SendmailCommand(env, "newaliases")
                .run(in(""), quiet(), System.err, "-C", inst));
      case "praliases":
        return ran(new PraliasesCommand(env).run(in(""), quiet(), System.err, "-C", inst));
      case "postern":
        return ran(new PosternCommand(env)
                .run(in(""), quiet(), System.err, "-C", inst, "config", "myhostname"))
            && ran(queueFromShowq(env, inst));
      default: // postmap
        return ran(new PostmapCommand().run(in(""), quiet(), System.err, t))
            && ran(new PostmapCommand().run(in(""), quiet(), System.err, "-q", "key@example.org", t))
            && ran(new PostmapCommand().run(in(""), quiet(), System.err, "-s", t))
            && ran(new MakemapCommand()
                .run(in("key@example.org value\n"), quiet(), System.err, "hash", t));
    }
  }

  /** {@code postern queue --json} answered by a showq server on the scratch instance. */
  private static int queueFromShowq(Map<String, String> env, String inst) throws Exception {
    Config config = Config.load(Path.of(inst));
    QueueDirectory queue = new QueueDirectory(config.path(Params.QUEUE_DIRECTORY));
    Files.createDirectories(ShowqServer.path(config).getParent()); // the daemon makes it
    try (ShowqServer showq = ShowqServer.open(config, queue,
        QueueScanner.remembering(queue, MailLog.open(config, "showq")))) {
      Thread server = new Thread(showq::serve, "training-showq");
      server.setDaemon(true);
      server.start();
      return new PosternCommand(env)
          .run(in(""), quiet(), System.err, "-C", inst, "queue", "--json");
    }
  }

  private static boolean ran(int exit) {
    return exit == 0;
  }

  private static InputStream in(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
