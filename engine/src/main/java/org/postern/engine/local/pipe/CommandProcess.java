package org.postern.engine.local.pipe;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.postern.engine.local.mbox.MessageContent;

/**
 * Runs one command to completion within a time limit: feeds the message to its stdin and
 * drains its output on two threads of its own, so neither side can block the other.
 *
 * <p>The limit covers the command's exit and the end of both pipes, as Postfix
 * pipe_command.c times every read and write. When it runs out, the whole process tree is
 * killed with SIGKILL: the shell first, so it starts nothing new, then every descendant seen
 * just before. A process that has left the tree (a daemonised grandchild) is out of reach, and
 * if it keeps a pipe open, that pump thread (a daemon) lingers until the pipe closes. Owns the
 * process and both threads. One instance per command; not thread-safe.
 */
final class CommandProcess {
  /** How the command ended; {@code exitValue} is 128 + N for death by signal N (Java's way). */
  record Finished(
      int exitValue, boolean timedOut, String output, Optional<IOException> readFailure) {}

  /** How long pump threads may take to notice that a killed command's pipes are gone. */
  private static final long GRACE_MILLIS = 1000;

  private final ProcessBuilder builder;
  private final Duration limit;

  CommandProcess(ProcessBuilder builder, Duration limit) {
    this.builder = builder;
    this.limit = limit;
  }

  /**
   * Starts the command and waits for it. IOException: it could not be started. On interrupt
   * the tree is killed before the exception leaves.
   */
  Finished run(byte[] head, MessageContent content) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    Process process = builder.start();
    OutputCapture output = new OutputCapture(process.getInputStream());
    MessagePump pump =
        new MessagePump(head, content, process.getOutputStream(), () -> killTree(process));
    Thread reader = start("local-pipe-output", output);
    Thread writer = start("local-pipe-input", pump);
    boolean done;
    try {
      done =
          process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)
              && finished(writer, deadline)
              && finished(reader, deadline);
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    }
    if (!done) {
      killTree(process);
      process.waitFor();
      writer.join(GRACE_MILLIS);
      reader.join(GRACE_MILLIS);
    }
    return new Finished(process.exitValue(), !done, output.text(), pump.readFailure());
  }

  /** SIGKILL to the shell and to every descendant it has now (Postfix: kill(-pid, SIGKILL)). */
  static void killTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    for (ProcessHandle member : tree) {
      member.destroyForcibly();
    }
  }

  private static Thread start(String name, Runnable job) {
    Thread thread = new Thread(job, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static boolean finished(Thread thread, long deadline) throws InterruptedException {
    long left = remaining(deadline);
    if (left > 0) {
      TimeUnit.NANOSECONDS.timedJoin(thread, left);
    }
    return !thread.isAlive();
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
