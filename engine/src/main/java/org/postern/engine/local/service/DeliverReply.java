package org.postern.engine.local.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.local.ForwardedCopy;
import org.postern.engine.local.OwnerNotice;

/**
 * The local delivery service's answer to one {@link DeliverRequest}: the recipient's
 * outcome, every destination delivered so far (for the status sidecar the daemon keeps),
 * whether the service logged each destination itself, and the forwarded copies and list
 * owners' notices for the daemon to queue (the service writes nothing into the queue).
 *
 * <p>{@link #readFrom} checks the outcome's kind against its status class (a mismatch is a
 * ProtocolException, never a guess), and bounds every count ({@link HandoffWire}). Immutable.
 */
public record DeliverReply(DeliveryOutcome outcome, Set<String> done,
    boolean loggedPerDestination, List<ForwardedCopy> forwards, List<OwnerNotice> notices) {
  private static final int MAX_DONE = 100_000;

  public DeliverReply {
    done = Set.copyOf(done);
    forwards = List.copyOf(forwards);
    notices = List.copyOf(notices);
  }

  void writeTo(DataOutputStream out) throws IOException {
    out.writeUTF(kind(outcome));
    out.writeUTF(outcome.status().code());
    out.writeUTF(outcome.status().text());
    Wire.writeStrings(out, done);
    out.writeBoolean(loggedPerDestination);
    HandoffWire.writeForwards(out, forwards);
    HandoffWire.writeNotices(out, notices);
    out.flush();
  }

  static DeliverReply readFrom(DataInputStream in) throws IOException {
    String kind = in.readUTF();
    DsnStatus status;
    DeliveryOutcome outcome;
    try {
      status = new DsnStatus(in.readUTF(), in.readUTF());
      outcome = switch (kind) {
        case "sent" -> new DeliveryOutcome.Delivered(status);
        case "deferred" -> new DeliveryOutcome.Deferred(status);
        case "bounced" -> new DeliveryOutcome.Bounced(status);
        default -> throw new ProtocolException("unknown outcome \"" + kind + "\"");
      };
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage());
    }
    Set<String> done = Wire.readStrings(in, MAX_DONE);
    boolean logged = in.readBoolean();
    return new DeliverReply(outcome, done, logged, HandoffWire.readForwards(in),
        HandoffWire.readNotices(in));
  }

  private static String kind(DeliveryOutcome o) {
    if (o instanceof DeliveryOutcome.Delivered) {
      return "sent";
    }
    return o instanceof DeliveryOutcome.Deferred ? "deferred" : "bounced";
  }
}
