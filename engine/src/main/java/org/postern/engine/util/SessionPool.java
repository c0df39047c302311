package org.postern.engine.util;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The accept loop of a UNIX-socket server with at most N sessions at once, each on its own
 * thread (the submission, showq and local delivery sockets). A connection over the limit,
 * or accepted just as the server closes, goes to the turn-away handler instead.
 *
 * <p>Trusts its handlers: a session handler owns its channel; a turn-away handler must
 * close it. An accept failure (out of descriptors) is reported and retried after a pause.
 * Owns its session threads. Thread-safe: serve() in one thread, close() from any.
 */
public final class SessionPool {
  private static final long ACCEPT_RETRY_MILLIS = 100;

  /** What is done with one accepted connection. */
  @FunctionalInterface
  public interface Handler {
    void handle(SocketChannel channel);
  }

  private final Semaphore slots;
  private final ExecutorService sessions;

  /** Session threads are named {@code name-1}, {@code name-2}, ... */
  public SessionPool(String name, int maxSessions) {
    this.slots = new Semaphore(maxSessions);
    AtomicInteger n = new AtomicInteger();
    this.sessions =
        Executors.newCachedThreadPool(r -> new Thread(r, name + "-" + n.incrementAndGet()));
  }

  /** Accepts on {@code server} until it is closed. */
  public void serve(ServerSocketChannel server, Handler session, Handler turnAway,
      Consumer<String> acceptFailed) {
    while (true) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException e) {
        return; // the server was closed
      } catch (IOException e) {
        acceptFailed.accept(String.valueOf(e.getMessage()));
        pause();
        continue;
      }
      if (!slots.tryAcquire()) {
        turnAway.handle(ch);
        continue;
      }
      try {
        sessions.execute(() -> {
          try {
            session.handle(ch);
          } finally {
            slots.release();
          }
        });
      } catch (RejectedExecutionException e) {
        slots.release();
        turnAway.handle(ch); // accepted just as close() began
        return;
      }
    }
  }

  /**
   * Takes no new sessions and waits up to {@code grace} for running ones; then interrupts
   * what is left (its channel I/O fails: the peer sees the connection end).
   */
  public void close(Duration grace) {
    sessions.shutdown();
    try {
      if (!sessions.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        sessions.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sessions.shutdownNow();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(ACCEPT_RETRY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
