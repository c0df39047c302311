package org.postern.engine.smtp;

import java.util.Optional;
import org.postern.engine.global.MailLog;

/**
 * An established SMTP or LMTP session with one server (greeted, EHLO or LHLO done, TLS as the
 * level asked),
 * able to run several mail transactions in turn: Postfix's connection reuse. After a
 * transaction, {@link #reset()} sends RSET and makes the session ready for the next message
 * of the same destination; {@link #close()} sends QUIT.
 *
 * <p>Owns its connection. A broken conversation or a refused RSET closes the session; it then
 * refuses further use. Used by one thread at a time.
 */
public final class Session implements AutoCloseable {
  private enum State {
    READY,
    USED,
    CLOSED
  }

  private final SmtpConnection conn;
  private final ServerFeatures features;
  private final Optional<TlsSession> tls;
  private final ClientSettings settings;
  private final MailLog log;
  private final Protocol protocol;
  private State state = State.READY;

  Session(
      SmtpConnection conn,
      ServerFeatures features,
      Optional<TlsSession> tls,
      ClientSettings settings,
      MailLog log,
      Protocol protocol) {
    this.conn = conn;
    this.features = features;
    this.tls = tls;
    this.settings = settings;
    this.log = log;
    this.protocol = protocol;
  }

  /** The server this session talks to. */
  public Endpoint server() {
    return conn.endpoint();
  }

  /** Whether the session runs over TLS. */
  public boolean encrypted() {
    return tls.isPresent();
  }

  /** Whether the session can still be used (after {@link #reset()} if a message was sent). */
  public boolean isOpen() {
    return state != State.CLOSED;
  }

  /**
   * Runs one mail transaction for {@code msg}. Never throws for a delivery problem: every
   * recipient's outcome is in the result. The session must be fresh or {@link #reset()}.
   */
  public TransactionResult send(OutgoingMessage msg) {
    if (state != State.READY) {
      throw new IllegalStateException("session with " + server().namaddr() + " is " + state);
    }
    Transaction t = new Transaction(conn, features, settings, log, msg, protocol);
    TransactionResult result = t.run();
    state = t.intact() ? State.USED : State.CLOSED;
    return result;
  }

  /**
   * Readies the session for another transaction with RSET. False, with the session closed,
   * when the server refuses RSET or the connection is gone: connect anew.
   */
  public boolean reset() {
    if (state != State.USED) {
      return state == State.READY;
    }
    try {
      conn.command(Stage.RSET, "RSET");
      conn.flush();
      if (conn.reply(Stage.RSET).isPositive()) {
        state = State.READY;
        return true;
      }
    } catch (ConversationException e) {
      conn.close();
      state = State.CLOSED;
      log.info(Trouble.conversation(server(), e).text());
      return false;
    }
    close();
    return false;
  }

  /** Sends QUIT (without waiting for its reply, as Postfix) and closes the connection. */
  @Override
  public void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    quit(conn);
  }

  /** QUIT and disconnect, where the conversation is still in order. */
  static void quit(SmtpConnection conn) {
    try {
      conn.command(Stage.QUIT, "QUIT");
      conn.flush();
    } catch (ConversationException e) {
      // The server is gone already; the connection is closed below either way.
    }
    conn.close();
  }
}
