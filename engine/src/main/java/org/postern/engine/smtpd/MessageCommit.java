package org.postern.engine.smtpd;

import java.io.IOException;
import java.io.OutputStream;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueId;
import org.postern.engine.util.LocalInterfaces;

/**
 * Carries a mail transaction's content into the queue. {@link #begin} chooses the queue id,
 * opens the queue file through the {@link SmtpIntake} (none for a DISCARD verdict) with the
 * envelope (sender, recipients with NOTIFY and ORCPT, ret/envid/body) and writes our Received
 * header, naming the id, ahead of the content the {@link MessageBody} streams in. Once the end
 * is read, {@link #commit} refuses the message for a content fault, drops it for DISCARD, or
 * commits the file; {@code 250 ... queued as ID} only after the commit returned, i.e. after
 * the queue file and its directory entry are fsync'd (DESIGN.md, durability).
 *
 * <p>Trusts the transaction (validated by the session). A queueing failure is temporary
 * (451 4.3.0); {@link #abandon} then removes the temp file, so nothing is queued. One per
 * session; not thread-safe.
 */
final class MessageCommit {
  private final SessionContext context;
  private final SessionState state;

  MessageCommit(SessionContext context, SessionState state) {
    this.context = context;
    this.state = state;
  }

  /**
   * Starts the content of {@code tx} (DATA when {@code dotStuffed}, else BDAT): id, queue
   * file, Received header. A queue file that cannot be opened is the body's write error.
   */
  MessageBody begin(Transaction tx, boolean dotStuffed, boolean exempt) {
    QueueId id = QueueId.next();
    tx.id = Optional.of(id);
    Optional<String> failure = Optional.empty();
    if (!tx.discard) {
      try {
        tx.sink = Optional.of(context.intake().open(id, envelope(tx), tx.quarantine,
            LocalInterfaces.has(state.client.address())));
      } catch (TempFailException e) {
        failure = Optional.of(e.getMessage());
      }
    }
    OutputStream out = tx.sink.map(MessageSink::content).orElse(OutputStream.nullOutputStream());
    MessageBody body = new MessageBody(context.settings(), dotStuffed, exempt, out);
    failure.ifPresent(body::writeFailed);
    String protocol = ReceivedHeader.protocol(state.esmtp, state.client, tx.smtputf8);
    body.prepend(ReceivedHeader.build(state.client, context.settings().myhostname(), protocol,
        id, tx.addresses(), ZonedDateTime.now(context.clock())));
    tx.body = Optional.of(body);
    return body;
  }

  /** Queues (or refuses) the message whose end has been read; the reply to send. */
  String commit(Transaction tx) {
    String who = state.client.logName();
    MessageBody body = tx.body.orElseThrow();
    QueueId id = tx.id.orElseThrow();
    Optional<MessageBody.Fault> fault = body.fault();
    if (fault.isPresent() && fault.get() == MessageBody.Fault.WRITE_ERROR) {
      context.log().warning(id + ": cannot queue a message from " + who + ": "
          + body.writeFailure());
      return Replies.WRITE_ERROR;
    }
    if (fault.isPresent()) {
      context.log().info("NOQUEUE: reject: END-OF-MESSAGE from " + who + ": "
          + fault.get().reply + "; from=<" + tx.sender + "> proto=" + state.protocol()
          + " helo=<" + state.heloName() + ">");
      return fault.get().reply;
    }
    if (tx.discard) {
      // Access map DISCARD: the client is told the message was queued (Postfix does too).
      context.log().info(id + ": discard: END-OF-MESSAGE from " + who + "; from=<" + tx.sender
          + "> proto=" + state.protocol() + " helo=<" + state.heloName() + ">");
      return String.format(Replies.QUEUED, id);
    }
    // Postfix's order: smtpd's client= line, then cleanup's message-id= line.
    context.log().info(id + ": client=" + who);
    try {
      tx.sink.orElseThrow().commit();
    } catch (TempFailException e) {
      context.log().warning(id + ": cannot queue a message from " + who + ": "
          + e.getMessage());
      return Replies.WRITE_ERROR;
    }
    wake();
    return String.format(Replies.QUEUED, id);
  }

  /** Ends {@code tx}'s queue file: an uncommitted one is removed (harmless after a commit). */
  void abandon(Transaction tx) {
    if (tx.sink.isEmpty()) {
      return;
    }
    try {
      tx.sink.get().close();
    } catch (IOException e) {
      context.log().warning(tx.id.orElseThrow() + ": cannot remove an abandoned queue file: "
          + e.getMessage());
    }
    tx.sink = Optional.empty();
  }

  private Envelope envelope(Transaction tx) {
    Map<String, String> attrs = new HashMap<>(tx.attributes);
    attrs.put(Envelope.ATTR_SENDER_SET, "1"); // MAIL FROM is the sender, not the submitter
    if (!state.client.local()) {
      // A relayed message is passed on as it came: no Date, From or Message-ID added
      // (Postfix: only for local_header_rewrite_clients).
      attrs.put(Envelope.ATTR_GATEWAY, "1");
    }
    return new Envelope(context.clock().millis(), 0, "", tx.sender, tx.recipients, attrs);
  }

  /** The daemon's wake-up must not turn a queued message into an error reply. */
  private void wake() {
    try {
      context.onQueued().run();
    } catch (RuntimeException e) {
      context.log().error("smtpd: queue wake-up failed: " + e);
    }
  }
}
