package org.postern.engine.global;

import java.util.Set;
import java.util.TreeSet;

/**
 * The destinations of one recipient already delivered (mailboxes, commands, files, forwarded
 * addresses of its alias or .forward expansion), carried from attempt to attempt in the
 * status sidecar, so a retry after a partial failure delivers only what is missing.
 *
 * <p>Keys are opaque to everyone but the transport that made them. Used by one delivery at a
 * time; not thread-safe.
 */
public final class DestinationProgress {
  private final Set<String> done;

  public DestinationProgress(Set<String> earlier) {
    this.done = new TreeSet<>(earlier);
  }

  public boolean isDone(String key) {
    return done.contains(key);
  }

  public void markDone(String key) {
    done.add(key);
  }

  /** Everything delivered so far, for the status sidecar. */
  public Set<String> done() {
    return Set.copyOf(done);
  }
}
