package org.postern.engine.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * Hands the addresses an alias or .forward expanded to that are not ours back to the queue
 * as a new message (Postfix local(8), MAIL FORWARDING): same content with Delivered-To lines
 * in front, the original sender (or the list owner), the DSN attributes of the original.
 *
 * <p>Trusts the validated original queue file and the expander's addresses. The new file is
 * durable in incoming/ before this returns; an IOException means nothing was queued.
 * Thread-safe.
 */
public final class Forwarder {
  private static final List<String> KEPT_ATTRIBUTES =
      List.of(Envelope.ATTR_RET, Envelope.ATTR_ENVID, Envelope.ATTR_BODY);

  private final QueueDirectory queue;
  private final MailLog log;

  public Forwarder(QueueDirectory queue, MailLog log) {
    this.queue = queue;
    this.log = log;
  }

  /** Queues {@code original}'s content from {@code sender} to {@code recipients}. */
  public QueueId forward(
      QueueId id, QueueFile original, String sender, List<Recipient> recipients,
      List<String> prependedHeaders) throws IOException {
    Envelope from = original.envelope();
    Map<String, String> attributes = new HashMap<>();
    for (String name : KEPT_ATTRIBUTES) {
      if (!from.attribute(name).isEmpty()) {
        attributes.put(name, from.attribute(name));
      }
    }
    Envelope env = new Envelope(
        System.currentTimeMillis(), from.uid(), from.login(), sender, recipients, attributes);
    QueueId newId = QueueId.next();
    StringBuilder head = new StringBuilder();
    for (String h : prependedHeaders) {
      head.append(h).append('\n');
    }
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    queue.write(QueueState.INCOMING, newId, env,
        out -> {
          out.write(headBytes);
          try (InputStream in = original.openContent()) {
            in.transferTo(out);
          }
        });
    log.info(id + ": forwarded as " + newId + " from=<" + sender + ">, nrcpt="
        + recipients.size());
    return newId;
  }
}
