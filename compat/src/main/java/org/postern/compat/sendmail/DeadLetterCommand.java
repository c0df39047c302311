package org.postern.compat.sendmail;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.util.ProcessIdentity;

/**
 * {@code sendmail-dead-letter CONFIG_DIR PROGRAM}: the native sendmail front's helper for a
 * DEAD record. Appends the message on stdin to the caller's ~/dead.letter ({@link
 * DeadLetter}, as the JVM sendmail does it), so that the front itself writes no file.
 *
 * <p>Trusts its arguments as the front resolved them (the instance the caller chose) and
 * the caller's own identity; the content is stored, never parsed. Reports on stderr in
 * sendmail's words; the caller keeps the daemon's exit code, so this one only tells tests
 * apart: 0, or 78 for a broken instance, 74 for unreadable input or an unknown identity.
 */
public final class DeadLetterCommand {
  private DeadLetterCommand() {}

  public static void main(String[] args) {
    System.exit(run(System.in, System.err, args));
  }

  static int run(InputStream in, PrintStream err, String... args) {
    if (args.length != 2) {
      err.println("usage: sendmail-dead-letter CONFIG_DIR PROGRAM < message");
      return Sysexit.EX_USAGE.code();
    }
    String program = args[1];
    try {
      byte[] content = in.readAllBytes();
      MailSystem system = MailSystem.open(Config.load(Path.of(args[0])));
      ProcessIdentity me = ProcessIdentity.current();
      new DeadLetter(system, new Streams(in, System.out, err, program), me).save(content);
      return Sysexit.EX_OK.code();
    } catch (ConfigException e) {
      err.println(program + ": fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (IOException e) {
      err.println(program + ": cannot save dead.letter: " + e.getMessage());
      return Sysexit.EX_IOERR.code();
    }
  }
}
