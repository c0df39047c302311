package org.postern.engine.local.pipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.MailLog;
import org.postern.engine.local.RunAs;
import org.postern.engine.local.mbox.FromLine;
import org.postern.engine.local.mbox.FromStyle;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.util.ProcessIdentity;

/**
 * Delivers a message to a {@code |command} (Postfix local/command.c with
 * global/pipe_command.c): {@code /bin/sh -c COMMAND} with only the {@link CommandEnvironment}
 * plus TZ and LANG (export_environment), in the user's home when it may search it, else
 * {@code /}; stdin is the From_ line, the prepended headers and the message, unquoted.
 *
 * <p>Privilege: as root the command runs as the given user through util-linux
 * {@code setpriv} (uid, primary gid, no supplementary groups); as root for uid 0 (sandbox
 * only) and as an ordinary user it runs as ourselves. Trusts the command and the identity
 * (chosen by alias/.forward expansion), not the message. Temporary: no setpriv, failure to
 * start, signal, soft exit codes, our own read errors. Permanent: time limit, hard exit codes.
 * Never throws for a delivery problem. Stateless between deliveries; thread-safe.
 */
public final class CommandDelivery {
  private static final String SHELL = "/bin/sh";
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  /** Postfix export_environment, less MAIL_CONFIG which means nothing to us. */
  private static final List<String> EXPORTED = List.of("TZ", "LANG");

  private final Duration timeLimit;
  private final ProcessIdentity self;
  private final FromStyle fromStyle;
  private final MailLog log;
  private final Clock clock;
  private final Path setpriv;

  /** {@code timeLimit}: command_time_limit (Postfix default 1000 s). */
  public CommandDelivery(
      Duration timeLimit, ProcessIdentity self, FromStyle fromStyle, MailLog log) {
    this(timeLimit, self, fromStyle, log, Clock.systemDefaultZone(), SETPRIV);
  }

  /** For tests: a fixed clock for the From_ line, another setpriv location. */
  CommandDelivery(
      Duration timeLimit,
      ProcessIdentity self,
      FromStyle fromStyle,
      MailLog log,
      Clock clock,
      Path setpriv) {
    if (timeLimit.isNegative() || timeLimit.isZero()) {
      throw new IllegalArgumentException("command time limit must be positive: " + timeLimit);
    }
    this.timeLimit = timeLimit;
    this.self = self;
    this.fromStyle = fromStyle;
    this.log = log;
    this.clock = clock;
    this.setpriv = setpriv;
  }

  /** Runs {@code command} (without its leading "|") for one recipient. */
  public DeliveryOutcome deliver(
      String command, RunAs as, CommandEnvironment env, MboxMessage message) {
    boolean switchUser = self.isRoot() && as.uid() != 0;
    // Choose the identity: setpriv or nothing; never root for someone else.
    if (switchUser && !Files.isExecutable(setpriv)) {
      log.warning("cannot run commands as uid " + as.uid() + ": " + setpriv + " not found");
      return DeliveryOutcome.deferred(
          "4.3.0",
          "cannot run command as user " + as.user() + ": setpriv (util-linux) is not installed");
    }
    ProcessBuilder builder = new ProcessBuilder(argv(command, as, switchUser));
    builder.redirectErrorStream(true);
    environment(builder.environment(), env);
    builder.directory(workingDirectory(as, switchUser).toFile());

    // Run it, feeding the message, within the time limit.
    CommandProcess.Finished end;
    try {
      end = new CommandProcess(builder, timeLimit).run(head(message), message.content());
    } catch (IOException e) {
      log.warning("cannot start command \"" + command + "\": " + e.getMessage());
      String why = "Delivery failed: cannot start \"" + command + "\": " + e.getMessage();
      return DeliveryOutcome.deferred("4.3.0", why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DeliveryOutcome.deferred("4.3.0", "Delivery interrupted: \"" + command + "\"");
    }
    if (end.readFailure().isPresent()) {
      String why = end.readFailure().get().getMessage();
      log.error("error reading message for command \"" + command + "\": " + why);
    }
    // setpriv itself failing (exit 1 before the shell ran) is our problem, not the sender's.
    if (switchUser && end.exitValue() == 1 && end.output().startsWith("setpriv: ")) {
      log.warning("setpriv failed for uid " + as.uid() + ": " + end.output());
      return DeliveryOutcome.deferred(
          "4.3.0", "cannot run command as user " + as.user() + ": " + end.output());
    }
    return CommandStatus.of(command, end);
  }

  /**
   * {@code sh -c COMMAND}, through setpriv when root runs it for someone else. Then the shell
   * enters the home directory as the user, so the kernel decides whether the user may (a
   * home the user cannot search, or swapped since, leaves the command in /).
   */
  private List<String> argv(String command, RunAs as, boolean switchUser) {
    if (!switchUser) {
      return List.of(SHELL, "-c", command);
    }
    return List.of(setpriv.toString(), "--reuid=" + as.uid(), "--regid=" + as.gid(),
        "--clear-groups", "--", SHELL, "-c",
        "cd -- \"$1\" 2>/dev/null || cd /; exec " + SHELL + " -c \"$2\"", SHELL,
        as.home().toString(), command);
  }

  /** Only the command's variables and what export_environment lets through. */
  private static void environment(Map<String, String> target, CommandEnvironment env) {
    Map<String, String> ours = System.getenv();
    target.clear();
    for (String name : EXPORTED) {
      Optional.ofNullable(ours.get(name)).ifPresent(value -> target.put(name, value));
    }
    target.putAll(env.toMap());
  }

  /** Where the command starts: "/" when it switches user (see argv), else the home. */
  private static Path workingDirectory(RunAs as, boolean switchUser) {
    Path home = as.home();
    if (switchUser || !home.isAbsolute() || !Files.isDirectory(home)
        || !Files.isExecutable(home)) {
      return Path.of("/");
    }
    return home;
  }

  /** The From_ line and the prepended headers, each with its LF (Postfix mail_copy.c). */
  private byte[] head(MboxMessage message) {
    StringBuilder head = new StringBuilder();
    head.append(FromLine.format(fromStyle, message.sender(), ZonedDateTime.now(clock)));
    head.append('\n');
    for (String header : message.prependedHeaders()) {
      head.append(header).append('\n');
    }
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }
}
