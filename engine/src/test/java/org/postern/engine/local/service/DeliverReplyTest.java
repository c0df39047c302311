package org.postern.engine.local.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.engine.bounce.RecipientReport;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.local.ForwardedCopy;
import org.postern.engine.local.OwnerNotice;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/** The local delivery protocol's records: what goes out comes back, and nonsense is refused. */
class DeliverReplyTest {
  interface Body {
    void writeTo(DataOutputStream out) throws IOException;
  }

  private static DataInputStream bytes(Body body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    body.writeTo(out);
    out.flush();
    return new DataInputStream(new ByteArrayInputStream(b.toByteArray()));
  }

  @Test
  void aRequestAndAReplyComeBackAsTheyWereSent() throws Exception {
    DeliverRequest req = new DeliverRequest(QueueId.next(),
        new Recipient("bob@example.org", "team@example.org", "failure"), Set.of("m:bob", "c:x"));
    assertEquals(req, DeliverRequest.readFrom(bytes(req::writeTo)));

    DeliverReply reply = new DeliverReply(DeliveryOutcome.deferred("4.2.0", "mailbox locked"),
        Set.of("m:bob"), true, List.of(), List.of());
    assertEquals(reply, DeliverReply.readFrom(bytes(reply::writeTo)));
  }

  @Test
  void forwardedCopiesAndOwnersNoticesComeBackAsTheyWereSent() throws Exception {
    ForwardedCopy copy = new ForwardedCopy(QueueId.next(), "owner-team@example.org",
        List.of(new Recipient("far@example.com", "team@example.org", "failure")),
        List.of("Delivered-To: team@example.org"), Set.of("f:far@example.com"));
    OwnerNotice notice = new OwnerNotice("owner-team@example.org", List.of(new RecipientReport(
        new Recipient("gone@example.org", "team@example.org", ""), new DsnStatus("5.1.1",
        "no such user"), RecipientReport.LOCAL, "no such user", Optional.empty(), 1234L)));
    DeliverReply reply = new DeliverReply(DeliveryOutcome.delivered("2.0.0", "ok"),
        Set.of("f:far@example.com"), true, List.of(copy), List.of(notice));

    assertEquals(reply, DeliverReply.readFrom(bytes(reply::writeTo)));
  }

  @Test
  void refusesAForwardedCopyWithAnythingButDeliveredToLinesInFront() {
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> DeliverReply.readFrom(bytes(out -> {
          out.writeUTF("sent");
          out.writeUTF("2.0.0");
          out.writeUTF("ok");
          Wire.writeStrings(out, List.of());
          out.writeBoolean(false);
          out.writeInt(1);
          out.writeUTF(QueueId.next().value());
          out.writeUTF("alice@example.org");
          out.writeInt(1);
          out.writeUTF("far@example.com");
          out.writeUTF("far@example.com");
          out.writeUTF("");
          Wire.writeStrings(out, List.of("X-Injected: yes"));
          Wire.writeStrings(out, List.of());
        })));
    assertTrue(e.getMessage().contains("not a Delivered-To line"), e.getMessage());
  }

  @Test
  void refusesTooManyForwardedCopies() {
    assertThrows(ProtocolException.class, () -> DeliverReply.readFrom(bytes(out -> {
      out.writeUTF("sent");
      out.writeUTF("2.0.0");
      out.writeUTF("ok");
      Wire.writeStrings(out, List.of());
      out.writeBoolean(false);
      out.writeInt(Integer.MAX_VALUE);
    })));
  }

  @Test
  void refusesAnotherProtocolVersion() {
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> DeliverRequest.readFrom(bytes(out -> out.writeUTF("postern-deliver 9"))));
    assertTrue(e.getMessage().contains("unknown request version"));
  }

  @Test
  void refusesABadQueueIdOrRecipient() {
    assertThrows(ProtocolException.class, () -> DeliverRequest.readFrom(bytes(out -> {
      out.writeUTF(DeliverRequest.VERSION);
      out.writeUTF("../../etc/shadow");
    })));
    assertThrows(ProtocolException.class, () -> DeliverRequest.readFrom(bytes(out -> {
      out.writeUTF(DeliverRequest.VERSION);
      out.writeUTF(QueueId.next().value());
      out.writeUTF("bob\n@example.org");
      out.writeUTF("bob");
      out.writeUTF("");
    })));
  }

  @Test
  void refusesAnOutcomeWhoseStatusClassDoesNotMatch() {
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> DeliverReply.readFrom(bytes(out -> {
          out.writeUTF("sent");
          out.writeUTF("5.1.1");
          out.writeUTF("no such user");
        })));
    assertTrue(e.getMessage().contains("status class does not match"), e.getMessage());
  }

  @Test
  void refusesANegativeCount() {
    assertThrows(ProtocolException.class, () -> DeliverReply.readFrom(bytes(out -> {
      out.writeUTF("sent");
      out.writeUTF("2.0.0");
      out.writeUTF("ok");
      out.writeInt(-1);
    })));
  }
}
