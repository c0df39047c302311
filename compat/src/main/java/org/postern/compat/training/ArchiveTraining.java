package org.postern.compat.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.postern.compat.postmap.PostmapCommand;
import org.postern.compat.sendmail.SendmailCommand;

/**
 * The workload recorded into the class-data archive by bin/lib/build-cds.sh: one real
 * submission ({@code sendmail -odq}) and one table build and query ({@code postmap}), in
 * one JVM, so both commands start from the archive.
 *
 * <p>Runs only at build or install time, against the scratch instance it is given; exits
 * non-zero when a command fails, so a broken build never produces an archive silently.
 */
public final class ArchiveTraining {
  private ArchiveTraining() {}

  /** {@code ArchiveTraining INSTANCE_DIR USER}. */
  public static void main(String[] args) throws Exception {
    Path instance = Path.of(args[0]);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, "UTF-8");
    byte[] message = "From: cds@example.org\nSubject: training\n\nhello\n"
        .getBytes(StandardCharsets.UTF_8);
    int sent = new SendmailCommand(System.getenv(), "sendmail")
        .run(new ByteArrayInputStream(message), quiet, System.err,
            "-C", instance.toString(), "-odq", "-i", args[1]);
    Path table = instance.resolve("training-table");
    Files.writeString(table, "key@example.org value\nother@example.org OK\n");
    int built = new PostmapCommand().run(System.in, quiet, System.err, table.toString());
    int queried = new PostmapCommand()
        .run(System.in, quiet, System.err, "-q", "key@example.org", table.toString());
    System.exit(sent == 0 && built == 0 && queried == 0 ? 0 : 1);
  }
}
