package org.postern.engine.queue;

import java.util.List;
import java.util.Map;

/**
 * Everything about a queued message except its content: arrival time, who submitted it, the
 * envelope sender ("" is the null sender {@code <>}), recipients and message attributes
 * (DSN {@code ret}/{@code envid}, {@code body} type, submission flags).
 *
 * <p>Immutable; built by submission or cleanup, read back by {@link QueueFileReader}.
 */
public record Envelope(
    long arrivalMillis,
    int uid,
    String login,
    String sender,
    List<Recipient> recipients,
    Map<String, String> attributes) {
  /** Attribute names in use. */
  public static final String ATTR_RET = "ret";
  public static final String ATTR_ENVID = "envid";
  public static final String ATTR_BODY = "body";
  public static final String ATTR_FULLNAME = "fullname";
  public static final String ATTR_SENDER_SET = "sender_set";
  public static final String ATTR_GATEWAY = "gateway";
  public static final String ATTR_HOPCOUNT = "hopcount";
  public static final String ATTR_BOUNCE = "bounce";
  /** {@link #ATTR_BOUNCE} of a notice to the postmaster about an undeliverable bounce. */
  public static final String DOUBLE_BOUNCE = "double";

  public Envelope {
    recipients = List.copyOf(recipients);
    attributes = Map.copyOf(attributes);
  }

  public boolean isNullSender() {
    return sender.isEmpty();
  }

  public String attribute(String name) {
    return attributes.getOrDefault(name, "");
  }
}
