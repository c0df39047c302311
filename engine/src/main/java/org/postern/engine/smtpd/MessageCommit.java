package org.postern.engine.smtpd;

import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;

/**
 * Ends a mail transaction whose content has been read: refuses it for a content fault,
 * drops it for a DISCARD verdict, or builds the envelope (sender, recipients with NOTIFY and
 * ORCPT, ret/envid/body) and content (our Received header first, naming the queue id, which
 * is therefore chosen here) and queues it through the {@link SmtpIntake}. Returns the reply;
 * {@code 250 ... queued as ID} only after the intake returned, i.e. after the queue file and
 * its directory entry are fsync'd (DESIGN.md, durability).
 *
 * <p>Trusts the transaction (validated by the session). A queueing failure is temporary
 * (451 4.3.0) and leaves nothing queued. One per session; not thread-safe.
 */
final class MessageCommit {
  private final SessionContext context;
  private final SessionState state;

  MessageCommit(SessionContext context, SessionState state) {
    this.context = context;
    this.state = state;
  }

  /** Queues (or refuses) the message; the reply to send. */
  String commit(Transaction tx, MessageBody body) {
    String who = state.client.logName();
    Optional<MessageBody.Fault> fault = body.fault();
    if (fault.isPresent()) {
      context.log().info("NOQUEUE: reject: END-OF-MESSAGE from " + who + ": "
          + fault.get().reply + "; from=<" + tx.sender + "> proto=" + state.protocol()
          + " helo=<" + state.heloName() + ">");
      return fault.get().reply;
    }
    if (tx.discard) {
      // Access map DISCARD: the client is told the message was queued (Postfix does too).
      QueueId id = QueueId.next();
      context.log().info(id + ": discard: END-OF-MESSAGE from " + who + "; from=<" + tx.sender
          + "> proto=" + state.protocol() + " helo=<" + state.heloName() + ">");
      return String.format(Replies.QUEUED, id);
    }
    QueueId id = QueueId.next();
    // Postfix's order: smtpd's client= line, then cleanup's message-id= line.
    context.log().info(id + ": client=" + who);
    try {
      context.intake().queue(id, envelope(tx), content(tx, body, id), tx.quarantine);
    } catch (TempFailException e) {
      context.log().warning(id + ": cannot queue a message from " + who + ": "
          + e.getMessage());
      return Replies.WRITE_ERROR;
    }
    wake();
    return String.format(Replies.QUEUED, id);
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

  private byte[] content(Transaction tx, MessageBody body, QueueId id) {
    String protocol = ReceivedHeader.protocol(state.esmtp, state.client, tx.smtputf8);
    return body.content(ReceivedHeader.build(state.client, context.settings().myhostname(),
        protocol, id, tx.addresses(), ZonedDateTime.now(context.clock())));
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
