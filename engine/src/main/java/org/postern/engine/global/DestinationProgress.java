package org.postern.engine.global;

import java.util.Set;
import java.util.TreeSet;

/**
 * The destinations of one recipient already delivered (mailboxes, commands, files, forwarded
 * addresses of its alias or .forward expansion), carried from attempt to attempt in the
 * status sidecar, so a retry after a partial failure delivers only what is missing.
 *
 * Also carries whether the transport logged each destination itself.
 *
 * <p>Keys are opaque to everyone but the transport that made them. Used by one delivery at a
 * time; not thread-safe.
 */
public final class DestinationProgress {
  private final Set<String> done;
  private boolean loggedPerDestination;

  public DestinationProgress(Set<String> earlier) {
    this.done = new TreeSet<>(earlier);
  }

  public boolean isDone(String key) {
    return done.contains(key);
  }

  public void markDone(String key) {
    done.add(key);
  }

  /**
   * Says the transport logged one line per destination (an expanded alias), so the queue
   * manager does not add a line for the recipient: log readers count each delivery once.
   */
  public void markLoggedPerDestination() {
    loggedPerDestination = true;
  }

  public boolean loggedPerDestination() {
    return loggedPerDestination;
  }

  /** Everything delivered so far, for the status sidecar. */
  public Set<String> done() {
    return Set.copyOf(done);
  }
}
