package org.postern.engine.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.postern.engine.cleanup.Header;
import org.postern.engine.cleanup.HeaderSection;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.MailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.mbox.MailboxOwner;
import org.postern.engine.local.mbox.MboxAppender;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.global.Transport;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * The local delivery agent (Postfix's local(8)): finds the recipient's user, refuses mail
 * that has looped too often, and appends the message to {@code mail_spool_directory/USER}
 * with Return-Path, X-Original-To and Delivered-To prepended.
 *
 * <p>Trusts the validated queue file and the user directory. Unknown user is permanent
 * (5.1.1); lookup failures and mailbox trouble are decided by the resolver and the
 * appender. When running as root, new mailboxes are given to their user; nothing else
 * is done with root's rights that the appender does not check first. Thread-safe.
 */
public final class LocalDelivery implements Transport {
  /** Only this much of a message is read to count its Received: headers. */
  private static final int HEADER_SCAN_LIMIT = 1 << 20;

  private final RecipientResolver resolver;
  private final MboxAppender appender;
  private final Path spool;
  private final boolean root;
  private final int hopLimit;

  public LocalDelivery(
      RecipientResolver resolver, MboxAppender appender, Path spool, boolean root, int hopLimit) {
    this.resolver = resolver;
    this.appender = appender;
    this.spool = spool;
    this.root = root;
    this.hopLimit = hopLimit;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public DeliveryOutcome deliver(QueueId id, QueueFile message, Recipient recipient) {
    try {
      LocalRecipient r = resolver.resolve(recipient.address());
      if (r instanceof LocalRecipient.Unknown u) {
        return DeliveryOutcome.bounced("5.1.1", "unknown user: \"" + u.localPart() + "\"");
      }
      if (!(r instanceof LocalRecipient.User user)) {
        return DeliveryOutcome.deferred("4.3.0", "mail for remote domain routed to local");
      }
      if (hops(message) > hopLimit) {
        return DeliveryOutcome.bounced("5.4.6", "too many hops (more than " + hopLimit + ")");
      }
      appender.append(
          spool.resolve(user.user().name()),
          new MailboxOwner(user.user().uid(), root),
          new MboxMessage(
              message.envelope().sender(),
              List.of(
                  "Return-Path: <" + message.envelope().sender() + ">",
                  "X-Original-To: " + recipient.original(),
                  "Delivered-To: " + user.address()),
              message::openContent));
      return DeliveryOutcome.delivered("2.0.0", "delivered to mailbox");
    } catch (MailException e) {
      return DeliveryOutcome.of(e);
    }
  }

  /** Received: headers in the message plus the hop count given with sendmail -h. */
  private static int hops(QueueFile message) throws TempFailException {
    byte[] head;
    try (InputStream in = message.openContent()) {
      head = in.readNBytes(HEADER_SCAN_LIMIT);
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "read queue file: " + e.getMessage(), e);
    }
    int n = 0;
    for (Header h : HeaderSection.parse(head).headers()) {
      if (h.is("Received")) {
        n++;
      }
    }
    String given = message.envelope().attribute("hopcount");
    return n + (given.matches("\\d{1,4}") ? Integer.parseInt(given) : 0);
  }
}
