package org.postern.engine.smtp;

import java.util.ArrayDeque;

/**
 * Sends commands and hands each reply, in order, to the code that waits for it. With
 * PIPELINING (RFC 2920) commands are written in batches and their replies read afterwards;
 * without it each command waits for its reply. A batch is cut at {@value #WINDOW} bytes, as
 * Postfix keeps its unacknowledged commands within one stream buffer, so that neither side
 * can block the other with full TCP buffers. Used by one transaction; not thread-safe.
 */
final class Pipeline {
  private static final int WINDOW = 4096;

  /** Takes the reply to one command. */
  @FunctionalInterface
  interface ReplyHandler {
    void accept(SmtpReply reply);
  }

  private record Pending(Stage stage, ReplyHandler handler) {}

  private final SmtpConnection conn;
  private final boolean enabled;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private int unacknowledged;

  Pipeline(SmtpConnection conn, boolean enabled) {
    this.conn = conn;
    this.enabled = enabled;
  }

  /** Sends (or queues) one command; its reply goes to {@code handler}. */
  void command(Stage stage, String line, ReplyHandler handler) throws ConversationException {
    conn.command(stage, line);
    pending.add(new Pending(stage, handler));
    unacknowledged += line.length() + 2;
    if (!enabled || unacknowledged >= WINDOW) {
      drain();
    }
  }

  /** Sends what is queued and reads every outstanding reply. */
  void drain() throws ConversationException {
    conn.flush();
    while (!pending.isEmpty()) {
      Pending p = pending.poll();
      p.handler().accept(conn.reply(p.stage()));
    }
    unacknowledged = 0;
  }
}
