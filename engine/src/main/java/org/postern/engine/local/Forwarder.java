package org.postern.engine.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postern.engine.cleanup.EnvelopeRewriter;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * Hands the addresses an alias or .forward expanded to that are not ours back to the queue
 * as a new message (Postfix local(8), MAIL FORWARDING): same content with Delivered-To lines
 * in front, the original sender (or the list owner), the DSN attributes of the original; its
 * sender and recipients rewritten as cleanup rewrites every submission's (canonical maps,
 * masquerading, virtusertable: {@link EnvelopeRewriter}), as Postfix's local hands the copy to
 * cleanup.
 *
 * <p>Trusts the validated original queue file and the copy it is given (made by local
 * delivery, perhaps in root's service). The new file is durable in incoming/ before this
 * returns; an IOException (also a table that cannot be read now) means nothing was
 * queued.
 * Thread-safe.
 */
public final class Forwarder {
  private static final List<String> KEPT_ATTRIBUTES =
      List.of(Envelope.ATTR_RET, Envelope.ATTR_ENVID, Envelope.ATTR_BODY);

  private final QueueDirectory queue;
  private final EnvelopeRewriter envelope;
  private final MailLog log;

  public Forwarder(QueueDirectory queue, EnvelopeRewriter envelope, MailLog log) {
    this.queue = queue;
    this.envelope = envelope;
    this.log = log;
  }

  /**
   * Queues {@code original}'s content as {@code copy}, under the id the copy names: an id
   * already in the queue is refused (FileAlreadyExistsException), never overwritten.
   */
  public void forward(QueueId id, QueueFile original, ForwardedCopy copy) throws IOException {
    Envelope from = original.envelope();
    Map<String, String> attributes = new HashMap<>();
    for (String name : KEPT_ATTRIBUTES) {
      if (!from.attribute(name).isEmpty()) {
        attributes.put(name, from.attribute(name));
      }
    }
    List<Recipient> rcpts = new ArrayList<>();
    String sender;
    try {
      sender = envelope.sender(copy.sender());
      for (Recipient r : copy.recipients()) {
        rcpts.addAll(envelope.recipients(r));
      }
    } catch (TempFailException e) {
      throw new IOException(e.getMessage(), e);
    }
    Envelope env = new Envelope(System.currentTimeMillis(), from.uid(), from.login(),
        sender, rcpts, attributes);
    if (queue.locate(copy.id()).isPresent()) {
      throw new FileAlreadyExistsException(copy.id() + ": already queued");
    }
    StringBuilder head = new StringBuilder();
    for (String h : copy.deliveredTo()) {
      head.append(h).append('\n');
    }
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    queue.write(QueueState.INCOMING, copy.id(), env,
        out -> {
          out.write(headBytes);
          try (InputStream in = original.openContent()) {
            in.transferTo(out);
          }
        });
    log.info(id + ": forwarded as " + copy.id() + " from=<" + sender + ">, nrcpt="
        + rcpts.size());
  }
}
