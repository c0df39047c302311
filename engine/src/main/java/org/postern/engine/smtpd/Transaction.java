package org.postern.engine.smtpd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * One mail transaction, from MAIL FROM to the end of DATA (or BDAT LAST) or RSET: the
 * sender and its DSN/BODY attributes, the accepted recipients, what the policy asked to do
 * with the message (discard or hold), and, once DATA or the first BDAT chunk came, the
 * message's queue id, its content so far and the queue file it streams into.
 *
 * <p>Holds only values the session has validated; owns the open queue file, which
 * {@link MessageCommit} commits or abandons. One per transaction; not thread-safe.
 */
final class Transaction {
  final String sender;
  final Map<String, String> attributes = new HashMap<>();
  final List<Recipient> recipients = new ArrayList<>();
  final boolean smtputf8;
  boolean discard;
  Optional<String> quarantine = Optional.empty();
  /** The content, from DATA or the first BDAT chunk on. */
  Optional<MessageBody> body = Optional.empty();
  /** The id our Received header names, chosen with {@link #body}. */
  Optional<QueueId> id = Optional.empty();
  /** The queue file being written (none for DISCARD, or when it could not be opened). */
  Optional<MessageSink> sink = Optional.empty();

  Transaction(String sender, boolean smtputf8) {
    this.sender = sender;
    this.smtputf8 = smtputf8;
  }

  /** The addresses to deliver to, for the Received header. */
  List<String> addresses() {
    List<String> out = new ArrayList<>();
    recipients.forEach(r -> out.add(r.address()));
    return out;
  }
}
