package org.postern.engine.local.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;

/**
 * The values both directions of the local delivery protocol carry: a counted list of strings
 * (destination keys, bounded by the caller) and a delivery outcome (its kind checked against
 * its status class: a mismatch is a ProtocolException, never a guess); and the tags of what
 * the service sends on a request's connection. Stateless.
 */
final class Wire {
  /** The service asks the daemon to deliver one mailbox with its mailbox_transport. */
  static final String PASS = "pass";
  /** The service's last word on a request: a {@link DeliverReply} follows. */
  static final String REPLY = "reply";

  private Wire() {}

  static void writeOutcome(DataOutputStream out, DeliveryOutcome o) throws IOException {
    String kind = o instanceof DeliveryOutcome.Delivered ? "sent"
        : o instanceof DeliveryOutcome.Deferred ? "deferred" : "bounced";
    out.writeUTF(kind);
    out.writeUTF(o.status().code());
    out.writeUTF(o.status().text());
  }

  static DeliveryOutcome readOutcome(DataInputStream in) throws IOException {
    String kind = in.readUTF();
    try {
      DsnStatus status = new DsnStatus(in.readUTF(), in.readUTF());
      return switch (kind) {
        case "sent" -> new DeliveryOutcome.Delivered(status);
        case "deferred" -> new DeliveryOutcome.Deferred(status);
        case "bounced" -> new DeliveryOutcome.Bounced(status);
        default -> throw new ProtocolException("unknown outcome \"" + kind + "\"");
      };
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage());
    }
  }

  static void writeStrings(DataOutputStream out, Collection<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) {
      out.writeUTF(s);
    }
  }

  static Set<String> readStrings(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new ProtocolException("bad count " + n);
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }
}
