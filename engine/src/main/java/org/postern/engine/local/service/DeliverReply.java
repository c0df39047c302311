package org.postern.engine.local.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Set;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;

/**
 * The local delivery service's answer to one {@link DeliverRequest}: the recipient's
 * outcome, every destination delivered so far (for the status sidecar the daemon keeps),
 * and whether the service logged each destination itself.
 *
 * <p>{@link #readFrom} checks the outcome's kind against its status class (a mismatch is a
 * ProtocolException, never a guess). Immutable.
 */
public record DeliverReply(DeliveryOutcome outcome, Set<String> done, boolean loggedPerDestination) {
  private static final int MAX_DONE = 100_000;

  public DeliverReply {
    done = Set.copyOf(done);
  }

  void writeTo(DataOutputStream out) throws IOException {
    out.writeUTF(kind(outcome));
    out.writeUTF(outcome.status().code());
    out.writeUTF(outcome.status().text());
    Wire.writeStrings(out, done);
    out.writeBoolean(loggedPerDestination);
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
    return new DeliverReply(outcome, Wire.readStrings(in, MAX_DONE), in.readBoolean());
  }

  private static String kind(DeliveryOutcome o) {
    if (o instanceof DeliveryOutcome.Delivered) {
      return "sent";
    }
    return o instanceof DeliveryOutcome.Deferred ? "deferred" : "bounced";
  }
}
