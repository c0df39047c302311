package org.postern.engine.smtp;

import java.util.List;
import java.util.Optional;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.queue.Recipient;

/**
 * No usable session could be set up with any server of a destination: every connect,
 * greeting, EHLO or TLS step failed. Carries the last server's failure, which decides every
 * recipient of the message: temporary (4.x.x) or permanent (5.x.x, e.g. a 554 greeting or a
 * mail loop), with the server's reply when one caused it.
 */
public final class SessionFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient DsnStatus status;
  private final transient Optional<RemoteReply> remote;
  private final transient Optional<Endpoint> server;

  SessionFailure(DsnStatus status, Optional<RemoteReply> remote, Optional<Endpoint> server) {
    super(status.toString());
    this.status = status;
    this.remote = remote;
    this.server = server;
  }

  public DsnStatus status() {
    return status;
  }

  public Optional<RemoteReply> remote() {
    return remote;
  }

  /** The server that failed last. */
  public Optional<Endpoint> server() {
    return server;
  }

  /** The same failure for each of the message's recipients. */
  public TransactionResult resultFor(List<Recipient> recipients) {
    return new TransactionResult(
        server,
        recipients.stream()
            .map(r -> new RecipientResult(r, Trouble.outcome(status), remote))
            .toList());
  }
}
