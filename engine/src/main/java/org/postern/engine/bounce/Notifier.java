package org.postern.engine.bounce;

import java.io.IOException;
import org.postern.engine.queue.QueueFile;

/**
 * Sends a delivery status notification back to a message's envelope sender. Returns only
 * when the notice is durable, so a crash may repeat a notice but never lose one. Never
 * called for the null sender (a bounce is never bounced).
 */
public interface Notifier {
  void send(DsnReport report, QueueFile original) throws IOException;
}
