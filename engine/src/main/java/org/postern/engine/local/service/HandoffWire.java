package org.postern.engine.local.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.bounce.RecipientReport;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.local.ForwardedCopy;
import org.postern.engine.local.OwnerNotice;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * The forwarded copies and list owners' notices a {@link DeliverReply} carries back to the
 * daemon, on the wire. Every count is bounded and every value goes through its record's own
 * checks: a bad one is a ProtocolException, never a guess. Stateless.
 */
final class HandoffWire {
  /** More copies, recipients or reports than any expansion makes: a broken peer. */
  private static final int MAX_ITEMS = 10_000;

  private HandoffWire() {}

  static void writeForwards(DataOutputStream out, List<ForwardedCopy> copies)
      throws IOException {
    out.writeInt(copies.size());
    for (ForwardedCopy c : copies) {
      out.writeUTF(c.id().value());
      out.writeUTF(c.sender());
      out.writeInt(c.recipients().size());
      for (Recipient r : c.recipients()) {
        writeRecipient(out, r);
      }
      Wire.writeStrings(out, c.deliveredTo());
      Wire.writeStrings(out, c.keys());
    }
  }

  static List<ForwardedCopy> readForwards(DataInputStream in) throws IOException {
    int n = count(in);
    List<ForwardedCopy> copies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = in.readUTF();
      String sender = in.readUTF();
      int rcpts = count(in);
      List<Recipient> to = new ArrayList<>(rcpts);
      for (int j = 0; j < rcpts; j++) {
        to.add(readRecipient(in));
      }
      List<String> deliveredTo = List.copyOf(Wire.readStrings(in, MAX_ITEMS));
      try {
        copies.add(new ForwardedCopy(new QueueId(id), sender, to, deliveredTo,
            Wire.readStrings(in, MAX_ITEMS)));
      } catch (IllegalArgumentException e) {
        throw new ProtocolException(e.getMessage());
      }
    }
    return copies;
  }

  static void writeNotices(DataOutputStream out, List<OwnerNotice> notices) throws IOException {
    out.writeInt(notices.size());
    for (OwnerNotice n : notices) {
      out.writeUTF(n.owner());
      out.writeInt(n.reports().size());
      for (RecipientReport r : n.reports()) {
        writeRecipient(out, r.recipient());
        out.writeUTF(r.status().code());
        out.writeUTF(r.status().text());
        out.writeUTF(r.diagnosticType());
        out.writeUTF(r.diagnostic());
        out.writeBoolean(r.remoteMta().isPresent());
        out.writeUTF(r.remoteMta().orElse(""));
        out.writeLong(r.lastAttemptMillis());
      }
    }
  }

  static List<OwnerNotice> readNotices(DataInputStream in) throws IOException {
    int n = count(in);
    List<OwnerNotice> notices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String owner = in.readUTF();
      int count = count(in);
      List<RecipientReport> reports = new ArrayList<>(count);
      try {
        for (int j = 0; j < count; j++) {
          Recipient r = readRecipient(in);
          DsnStatus status = new DsnStatus(in.readUTF(), in.readUTF());
          String type = in.readUTF();
          String diagnostic = in.readUTF();
          boolean hasMta = in.readBoolean();
          String mta = in.readUTF();
          reports.add(new RecipientReport(r, status, type, diagnostic,
              hasMta ? Optional.of(mta) : Optional.empty(), in.readLong()));
        }
        notices.add(new OwnerNotice(owner, reports));
      } catch (IllegalArgumentException e) {
        throw new ProtocolException(e.getMessage());
      }
    }
    return notices;
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ITEMS) {
      throw new ProtocolException("bad count " + n);
    }
    return n;
  }

  static void writeRecipient(DataOutputStream out, Recipient r) throws IOException {
    out.writeUTF(r.address());
    out.writeUTF(r.original());
    out.writeUTF(r.notifyList());
  }

  static Recipient readRecipient(DataInputStream in) throws IOException {
    try {
      return new Recipient(in.readUTF(), in.readUTF(), in.readUTF());
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage());
    }
  }
}
