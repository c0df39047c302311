package org.postern.engine.qmgr;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postern.engine.global.TempFailException;
import org.postern.engine.qmgr.DestinationSlots.Destination;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * Finds the destinations a queued message will occupy before it is started (Postfix's
 * qmgr resolves each recipient on entry): a local recipient is its own destination, a
 * remote one its SMTP next hop, a refused one none.
 *
 * <p>Trusts nothing in the file: one that cannot be read or validated, or a recipient whose
 * routing lookup fails, counts for no destination, and the delivery attempt itself then
 * isolates, defers or bounces it. Immutable; thread-safe.
 */
final class DestinationResolver {
  private final QueueDirectory queue;
  private final Router router;

  DestinationResolver(QueueDirectory queue, Router router) {
    this.queue = queue;
    this.router = router;
  }

  /** The destinations of the pending recipients of message {@code id} in {@code state}. */
  Set<Destination> destinations(QueueId id, QueueState state) {
    List<Recipient> rcpts;
    DeliveryStatus status;
    try {
      rcpts = QueueFileReader.read(queue.file(state, id)).envelope().recipients();
      status = DeliveryStatus.read(queue.statusFile(id));
    } catch (IOException e) {
      return Set.of();
    }
    Set<Destination> out = new HashSet<>();
    for (int i = 0; i < rcpts.size(); i++) {
      if (!status.isPending(i)) {
        continue;
      }
      try {
        Router.Routed routed = router.route(rcpts.get(i));
        if (routed instanceof Router.Local l) {
          out.add(new Destination(DestinationSlots.LOCAL,
              l.recipient().address().toLowerCase(Locale.ROOT)));
        } else if (routed instanceof Router.Remote r) {
          out.add(new Destination("smtp", r.hop().toString()));
        }
      } catch (TempFailException e) {
        // The attempt defers this recipient itself.
      }
    }
    return out;
  }
}
