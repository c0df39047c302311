package org.postern.engine.queue;

/**
 * One envelope recipient: the address to deliver to, the address as first given (ORCPT /
 * X-Original-To), and its DSN NOTIFY list ({@code notifyList}; empty = the default, failure and delay).
 *
 * <p>Addresses are validated by whoever built the envelope; this record only forbids the
 * characters the queue file format reserves. Immutable.
 */
public record Recipient(String address, String original, String notifyList) {
  public Recipient {
    for (String s : new String[] {address, original, notifyList}) {
      if (s.indexOf('\0') >= 0 || s.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("control character in recipient: " + s);
      }
    }
  }

  public Recipient(String address) {
    this(address, address, "");
  }

  /** Whether the sender asked to hear about this kind of event ("success", "failure", "delay"). */
  public boolean wantsNotice(String event) {
    if (notifyList.isEmpty()) {
      return !event.equals("success");
    }
    for (String n : notifyList.split(",")) {
      if (n.strip().equalsIgnoreCase(event)) {
        return true;
      }
    }
    return false;
  }
}
