package org.postern.engine.queue;

/**
 * The directories of the queue; a message's state is the directory its file is in, and a
 * state change is an atomic rename between them (Postfix's queue layout).
 */
public enum QueueState {
  /** Submissions from the sendmail command, owned by the submitting user (mode 1733). */
  MAILDROP("maildrop", "rwx-wx-wt"),
  /** Complete, cleaned-up messages waiting for their first delivery attempt. */
  INCOMING("incoming", "rwx------"),
  /** Messages a queue run is delivering now; left here only by a crash. */
  ACTIVE("active", "rwx------"),
  /** Messages waiting for a retry. */
  DEFERRED("deferred", "rwx------"),
  /** Messages put on hold by the administrator; never delivered until released. */
  HOLD("hold", "rwx------"),
  /** Files that failed validation, kept for inspection. */
  CORRUPT("corrupt", "rwx------");

  private final String dir;
  private final String permissions;

  QueueState(String dir, String permissions) {
    this.dir = dir;
    this.permissions = permissions;
  }

  public String dirName() {
    return dir;
  }

  /** The mode the directory is created with, as {@code rwxr-x---} text. */
  public String permissions() {
    return permissions;
  }
}
