package org.postern.engine.local.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * One local delivery request on the daemon-to-local-service socket (Postfix's
 * deliver_request): which queued message (by id: the service reads active/ID itself), which
 * recipient, and the destinations of it already delivered in earlier attempts.
 *
 * <p>{@link #readFrom} trusts nothing: a bad version, queue id or recipient is a
 * ProtocolException. Immutable.
 */
public record DeliverRequest(QueueId id, Recipient recipient, Set<String> done) {
  /**
   * The first string of every request; a peer speaking anything else is refused. Version 2:
   * replies carry forwarded copies and owners' notices back. Version 3: the service may ask
   * the daemon for mailbox_transport deliveries ({@link Wire#PASS}) before its reply.
   */
  static final String VERSION = "postern-deliver 3";

  /** More already-delivered destinations than any expansion makes: a broken peer. */
  private static final int MAX_DONE = 100_000;

  public DeliverRequest {
    done = Set.copyOf(done);
  }

  void writeTo(DataOutputStream out) throws IOException {
    out.writeUTF(VERSION);
    out.writeUTF(id.value());
    out.writeUTF(recipient.address());
    out.writeUTF(recipient.original());
    out.writeUTF(recipient.notifyList());
    Wire.writeStrings(out, done);
    out.flush();
  }

  static DeliverRequest readFrom(DataInputStream in) throws IOException {
    String version = in.readUTF();
    if (!version.equals(VERSION)) {
      throw new ProtocolException("unknown request version \"" + version + "\"");
    }
    String id = in.readUTF();
    if (!QueueId.isValid(id)) {
      throw new ProtocolException("bad queue id \"" + id + "\"");
    }
    Recipient r;
    try {
      r = new Recipient(in.readUTF(), in.readUTF(), in.readUTF());
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage());
    }
    return new DeliverRequest(new QueueId(id), r,
        new TreeSet<>(Wire.readStrings(in, MAX_DONE)));
  }
}
