package org.postern.engine.local.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.local.ForwardedCopy;
import org.postern.engine.local.OwnerNotice;

/**
 * The local delivery service's answer to one {@link DeliverRequest}: the recipient's
 * outcome, every destination delivered so far (for the status sidecar the daemon keeps),
 * whether the service logged each destination itself, and the forwarded copies and list
 * owners' notices for the daemon to queue (the service writes nothing into the queue).
 *
 * <p>{@link #readFrom} checks the outcome ({@link Wire}) and bounds every count
 * ({@link HandoffWire}). Immutable.
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
    Wire.writeOutcome(out, outcome);
    Wire.writeStrings(out, done);
    out.writeBoolean(loggedPerDestination);
    HandoffWire.writeForwards(out, forwards);
    HandoffWire.writeNotices(out, notices);
    out.flush();
  }

  static DeliverReply readFrom(DataInputStream in) throws IOException {
    DeliveryOutcome outcome = Wire.readOutcome(in);
    Set<String> done = Wire.readStrings(in, MAX_DONE);
    boolean logged = in.readBoolean();
    return new DeliverReply(outcome, done, logged, HandoffWire.readForwards(in),
        HandoffWire.readNotices(in));
  }
}
