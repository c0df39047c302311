package org.postern.engine.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.Recipient;

/**
 * One mail transaction on an established session (RFC 5321 §3.3): MAIL FROM, one RCPT TO per
 * recipient, DATA, the body, and the end-of-data reply (LMTP: one reply per accepted
 * recipient, RFC 2033 §4.2), pipelined when the server allows.
 * Each recipient ends delivered (2xx to RCPT and to the end of data), deferred (4xx) or
 * bounced (5xx) with the reply that decided it; a reply to MAIL, DATA or the end of data
 * decides every recipient still open. When no recipient was accepted no message is sent.
 *
 * <p>Trusts the message (a validated queue file). Temporary: 4xx replies, a broken
 * conversation (every open recipient deferred, 4.4.2), an unreadable queue file (4.3.0).
 * Permanent: 5xx replies, and refusals decided before sending (size 5.3.4, SMTPUTF8 5.6.7).
 * One instance per transaction; not thread-safe.
 */
final class Transaction {
  private final SmtpConnection conn;
  private final ServerFeatures features;
  private final ClientSettings settings;
  private final MailLog log;
  private final OutgoingMessage msg;
  private final Protocol protocol;
  private final Endpoint server;
  private final RecipientResult[] results;
  private final List<Integer> accepted = new ArrayList<>();
  private SmtpReply mailReply;
  private SmtpReply dataReply;
  private boolean intact = true;

  Transaction(
      SmtpConnection conn,
      ServerFeatures features,
      ClientSettings settings,
      MailLog log,
      OutgoingMessage msg,
      Protocol protocol) {
    this.conn = conn;
    this.features = features;
    this.settings = settings;
    this.log = log;
    this.msg = msg;
    this.protocol = protocol;
    this.server = conn.endpoint();
    this.results = new RecipientResult[msg.recipients().size()];
  }

  /** Whether the connection is still in a known state (the session may go on). */
  boolean intact() {
    return intact;
  }

  TransactionResult run() {
    Optional<DsnStatus> refusal = refusal();
    if (refusal.isPresent()) {
      decideOpen(refusal.get(), Optional.empty());
      return result();
    }
    try {
      exchange();
    } catch (ConversationException e) {
      intact = false;
      conn.close();
      decideOpen(Trouble.conversation(server, e), Optional.empty());
    } catch (IOException e) {
      // Our queue file failed mid-DATA: drop the connection rather than end a short message.
      intact = false;
      conn.close();
      log.warning(msg.queueId() + ": cannot read message content: " + e.getMessage());
      decideOpen(Trouble.unreadableContent(), Optional.empty());
    }
    return result();
  }

  /** What must be refused before a byte is sent. */
  private Optional<DsnStatus> refusal() {
    if (msg.needsSmtputf8() && !features.smtputf8()) {
      return Optional.of(Trouble.smtputf8NotOffered(server));
    }
    long size = msg.content().size();
    if (features.size() && features.sizeLimit() > 0 && size > features.sizeLimit()) {
      // RFC 1870 §6: a message larger than the announced limit is not sent.
      return Optional.of(Trouble.tooBig(server, size, features.sizeLimit()));
    }
    if (msg.content().eightBit() && !features.eightBitMime() && settings.strict8BitMime()) {
      return Optional.of(Trouble.eightBitRefused(server));
    }
    return Optional.empty();
  }

  private void exchange() throws IOException {
    // Envelope: MAIL, RCPTs and (pipelined) DATA; replies come back in order.
    Pipeline pipe = new Pipeline(conn, features.pipelining());
    pipe.command(Stage.MAIL, mailCommand(), r -> mailReply = r);
    if (!features.pipelining() && !mailReply.isPositive()) {
      decideOpen(Trouble.said(server, mailReply, Stage.MAIL), remote(mailReply));
      return;
    }
    for (int i = 0; i < results.length; i++) {
      int index = i;
      pipe.command(Stage.RCPT, rcptCommand(i), r -> rcptReply(index, r));
    }
    if (features.pipelining()) {
      pipe.command(Stage.DATA, "DATA", r -> dataReply = r);
      pipe.drain();
    } else if (!accepted.isEmpty()) {
      pipe.command(Stage.DATA, "DATA", r -> dataReply = r);
    }

    // Refused envelope: nothing to send (a pipelined DATA that got 354 is ended empty).
    if (!mailReply.isPositive()) {
      decideOpen(Trouble.said(server, mailReply, Stage.MAIL), remote(mailReply));
      endEmptyData();
      return;
    }
    if (accepted.isEmpty()) {
      endEmptyData();
      return;
    }
    if (!dataReply.isIntermediate()) {
      decideOpen(Trouble.said(server, dataReply, Stage.DATA), remote(dataReply));
      return;
    }

    // Content, then the reply that decides every accepted recipient.
    try (InputStream in = msg.content().source().open()) {
      DotStuffer.copy(in, conn.body());
    }
    conn.command(Stage.DOT, ".");
    conn.flush();
    if (protocol == Protocol.LMTP) {
      // RFC 2033 §4.2: one reply per accepted recipient, in the order of their RCPTs.
      for (int i : accepted) {
        results[i] = endOfData(i, conn.reply(Stage.DOT));
      }
      return;
    }
    SmtpReply end = conn.reply(Stage.DOT);
    if (end.isPositive()) {
      for (int i : accepted) {
        results[i] = endOfData(i, end);
      }
    } else {
      decideOpen(Trouble.said(server, end, Stage.DOT), remote(end));
    }
  }

  /** Recipient {@code index}'s outcome by a reply to the end of data. */
  private RecipientResult endOfData(int index, SmtpReply reply) {
    Recipient r = msg.recipients().get(index);
    if (reply.isPositive()) {
      return new RecipientResult(r, Trouble.delivered(reply), remote(reply));
    }
    return new RecipientResult(r, Trouble.outcome(Trouble.said(server, reply, Stage.DOT)),
        remote(reply));
  }

  private void rcptReply(int index, SmtpReply reply) {
    if (mailReply == null || !mailReply.isPositive()) {
      return; // MAIL FROM failed: its reply decides, not the RCPT's 503
    }
    if (reply.isPositive()) {
      accepted.add(index);
      return;
    }
    Recipient r = msg.recipients().get(index);
    DsnStatus status = Trouble.said(server, reply, Stage.RCPT);
    results[index] = new RecipientResult(r, Trouble.outcome(status), remote(reply));
  }

  /**
   * RFC 2920 §3.1: DATA was pipelined and accepted though no recipient was; end it with an
   * empty message, which the server must refuse for want of recipients.
   */
  private void endEmptyData() throws ConversationException {
    if (dataReply != null && dataReply.isIntermediate()) {
      conn.command(Stage.DOT, ".");
      conn.flush();
      conn.reply(Stage.DOT);
    }
  }

  private String mailCommand() {
    StringBuilder b = new StringBuilder("MAIL FROM:<").append(msg.sender()).append('>');
    if (features.size()) {
      b.append(" SIZE=").append(msg.content().size());
    }
    if (msg.content().eightBit() && features.eightBitMime()) {
      b.append(" BODY=8BITMIME");
    }
    if (msg.needsSmtputf8()) {
      b.append(" SMTPUTF8");
    }
    if (features.dsn()) {
      if (!msg.ret().isEmpty()) {
        b.append(" RET=").append(msg.ret().toUpperCase(Locale.ROOT));
      }
      if (!msg.envid().isEmpty()) {
        b.append(" ENVID=").append(XText.encode(msg.envid()));
      }
    }
    return b.toString();
  }

  private String rcptCommand(int index) {
    Recipient r = msg.recipients().get(index);
    StringBuilder b = new StringBuilder("RCPT TO:<").append(msg.rcptTo().get(index)).append('>');
    if (features.dsn()) {
      if (!r.notifyList().isEmpty()) {
        b.append(" NOTIFY=").append(r.notifyList().toUpperCase(Locale.ROOT));
      }
      if (!r.original().isEmpty()) {
        b.append(" ORCPT=")
            .append(XText.isAscii(r.original())
                ? "rfc822;" + XText.encode(r.original())
                : "utf-8;" + XText.encodeUtf8Address(r.original()));
      }
    }
    return b.toString();
  }

  private Optional<RemoteReply> remote(SmtpReply reply) {
    return Optional.of(new RemoteReply(server.hostname(), reply));
  }

  /** Gives every recipient not yet decided (accepted ones included) this failure. */
  private void decideOpen(DsnStatus status, Optional<RemoteReply> remote) {
    DeliveryOutcome outcome = Trouble.outcome(status);
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        results[i] = new RecipientResult(msg.recipients().get(i), outcome, remote);
      }
    }
  }

  private TransactionResult result() {
    return new TransactionResult(Optional.of(server), List.of(results));
  }
}
