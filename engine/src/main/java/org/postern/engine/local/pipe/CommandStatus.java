package org.postern.engine.local.pipe;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.Sysexit;
import org.postern.engine.local.pipe.CommandProcess.Finished;

/**
 * Turns how a command ended into a delivery outcome, in the order and words of Postfix
 * global/pipe_command.c: time limit (bounce), death by signal (defer), an RFC 3463 status at
 * the start of the output, a sysexits code through the {@link Sysexit} table (soft defers),
 * any other status (bounce 5.3.0). The captured output is appended to the text.
 *
 * <p>Trusts nothing in the output beyond what {@link DsnStatus} validates. Stateless and
 * thread-safe.
 */
final class CommandStatus {
  /** Postfix dsn_valid(): a status code at the very start, followed by space or nothing. */
  private static final Pattern LEADING_DSN =
      Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s+|$)");

  /** Java reports death by signal N as exit value 128 + N; shells do the same for children. */
  private static final int SIGNAL_BASE = 128;

  private static final int MAX_SIGNAL = 64;

  private CommandStatus() {}

  static DeliveryOutcome of(String command, Finished end) {
    String quoted = "\"" + command + "\"";
    String tail = end.output().isEmpty() ? "" : ". Command output: " + end.output();
    if (end.readFailure().isPresent()) {
      // Our queue file failed us and the command was stopped: nothing is the sender's fault.
      return DeliveryOutcome.deferred(
          "4.3.0",
          "Command failed: error reading message: "
              + end.readFailure().get().getMessage()
              + ": "
              + quoted);
    }
    if (end.timedOut()) {
      return DeliveryOutcome.bounced("5.3.0", "Command time limit exceeded: " + quoted + tail);
    }
    int status = end.exitValue();
    if (status == 0) {
      return DeliveryOutcome.delivered("2.0.0", "delivered to command: " + command);
    }
    if (status > SIGNAL_BASE && status <= SIGNAL_BASE + MAX_SIGNAL) {
      // Postfix defers: a killed command (OOM killer, administrator) may well work next time.
      return DeliveryOutcome.deferred(
          "4.3.0",
          "Command died with signal " + (status - SIGNAL_BASE) + ": " + quoted + tail);
    }
    Optional<DeliveryOutcome> stated = statedByOutput(end.output());
    if (stated.isPresent()) {
      return stated.get();
    }
    Optional<Sysexit> sysexit = Sysexit.of(status);
    if (sysexit.isPresent()) {
      DsnStatus dsn = sysexit.get().status();
      String text = sysexit.get().text() + tail;
      return sysexit.get().isSoft()
          ? DeliveryOutcome.deferred(dsn.code(), text)
          : DeliveryOutcome.bounced(dsn.code(), text);
    }
    return DeliveryOutcome.bounced(
        "5.3.0", "Command died with status " + status + ": " + quoted + tail);
  }

  /**
   * Postfix: output that starts with "D.S.N text" decides the status of a failed command;
   * a 4.x.x defers, anything else bounces with the class made permanent.
   */
  private static Optional<DeliveryOutcome> statedByOutput(String output) {
    Matcher m = LEADING_DSN.matcher(output);
    if (!m.lookingAt()) {
      return Optional.empty();
    }
    String code = m.group(1);
    String text = output.substring(m.end());
    if (text.isEmpty()) {
      text = "command failed with status " + code;
    }
    return Optional.of(
        code.charAt(0) == '4'
            ? DeliveryOutcome.deferred(code, text)
            : DeliveryOutcome.bounced("5" + code.substring(1), text));
  }
}
