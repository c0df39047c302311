package org.postern.engine.qmgr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.TempFailException;
import org.postern.engine.qmgr.DestinationSlots.Destination;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * Splits a queued message into its destination groups before it is started (Postfix's qmgr
 * resolves each recipient on entry and files it under its destination queue): each pending
 * local recipient is a group of its own, the remote ones one group per SMTP or LMTP next hop, and
 * those refused or whose routing failed one group that takes no destination slot.
 *
 * <p>Trusts nothing in the file: one that cannot be read or validated yields one empty
 * group, whose claim then isolates it; a routing lookup that fails defers that recipient
 * (temporary), it never bounces it. Immutable; thread-safe.
 */
final class DestinationResolver {
  /** A recipient of a group: its index in the envelope, and where it was routed. */
  record Member(int index, Router.Routed route) {}

  /** The recipients delivered together, and the destination whose slot they take. */
  record Group(Optional<Destination> destination, List<Member> members) {}

  private final QueueDirectory queue;
  private final Router router;

  DestinationResolver(QueueDirectory queue, Router router) {
    this.queue = queue;
    this.router = router;
  }

  /** The groups of the pending recipients of message {@code id} in {@code state}; never none. */
  List<Group> groups(QueueId id, QueueState state) {
    List<Recipient> rcpts;
    DeliveryStatus status;
    try {
      rcpts = QueueFileReader.read(queue.file(state, id)).envelope().recipients();
      status = DeliveryStatus.read(queue.statusFile(id));
    } catch (IOException e) {
      return List.of(new Group(Optional.empty(), List.of()));
    }
    List<Group> out = new ArrayList<>();
    Map<Destination, List<Member>> byHop = new LinkedHashMap<>();
    List<Member> undestined = new ArrayList<>();
    for (int i = 0; i < rcpts.size(); i++) {
      if (!status.isPending(i)) {
        continue;
      }
      Router.Routed routed;
      try {
        routed = router.route(rcpts.get(i));
      } catch (TempFailException e) {
        routed = new Router.Refused(DeliveryOutcome.of(e));
      }
      Member m = new Member(i, routed);
      if (routed instanceof Router.Local l) {
        // One group per local recipient, even when two share an address.
        out.add(new Group(Optional.of(new Destination(DestinationSlots.LOCAL,
            l.recipient().address().toLowerCase(Locale.ROOT))), List.of(m)));
      } else if (routed instanceof Router.Remote r) {
        byHop.computeIfAbsent(new Destination("smtp", r.hop().toString()),
            d -> new ArrayList<>()).add(m);
      } else if (routed instanceof Router.Lmtp l) {
        byHop.computeIfAbsent(new Destination("lmtp", l.hop().toString()),
            d -> new ArrayList<>()).add(m);
      } else {
        undestined.add(m);
      }
    }
    byHop.forEach((d, members) -> out.add(new Group(Optional.of(d), members)));
    if (!undestined.isEmpty() || out.isEmpty()) {
      out.add(new Group(Optional.empty(), undestined));
    }
    return out;
  }
}
