package org.postern.engine.cleanup;

import java.io.IOException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.maps.LookupException;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;

/**
 * Turns a maildrop submission into the message the queue delivers (Postfix's cleanup):
 * the submitter named from the trusted uid, the envelope sender qualified (or taken from
 * the uid when -f was not used), recipients qualified and de-duplicated, missing headers and
 * (for a local submission; smtpd writes its own) the Received header added, and Bcc,
 * Resent-Bcc, Content-Length and Return-Path removed.
 *
 * <p>Trusts only the uid (the maildrop file's owner, or the submission socket's peer, both
 * from the kernel); everything in the envelope and content is the submitter's claim. A
 * failed user lookup is temporary. Stateless apart from its collaborators; thread-safe.
 */
public final class Cleanup {
  /** message_drop_headers of Postfix's cleanup(8). */
  private static final List<String> DROPPED =
      List.of("Bcc", "Resent-Bcc", "Content-Length", "Return-Path");

  /** The cleaned message and the Message-ID it carries, for the log. */
  public record Cleaned(Envelope envelope, byte[] content, String messageId) {}

  /** Where a message comes from, which decides who writes its trace header. */
  public enum Origin {
    /** A local submission (maildrop, submission socket): cleanup adds the Received header. */
    LOCAL,
    /** The SMTP server, whose Received header (queue id included) is already on top. */
    SMTP
  }

  private final UserDirectory users;
  private final Clock clock;
  private final String myhostname;
  private final String myorigin;
  private final List<String> trustedUsers;

  public Cleanup(Config config, UserDirectory users, Clock clock) {
    this.users = users;
    this.clock = clock;
    this.myhostname = config.get(Params.MYHOSTNAME);
    this.myorigin = config.get(Params.MYORIGIN);
    this.trustedUsers = config.list(Params.TRUSTED_USERS);
  }

  /** Cleans a maildrop file (its content is read here). */
  public Cleaned clean(QueueId id, QueueFile submitted, int uid) throws TempFailException {
    byte[] content;
    try {
      content = submitted.readContent();
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "read " + submitted.path() + ": " + e.getMessage(), e);
    }
    return clean(id, submitted.envelope(), content, uid);
  }

  /** Cleans a submission received some other way (the submission socket). */
  public Cleaned clean(QueueId id, Envelope in, byte[] content, int uid)
      throws TempFailException {
    return clean(id, in, content, uid, Origin.LOCAL);
  }

  /**
   * Cleans a message from {@code origin}: a local one gets cleanup's Received header naming
   * {@code id}, an SMTP one keeps the single trace header smtpd wrote (RFC 5321 §4.4).
   */
  public Cleaned clean(QueueId id, Envelope in, byte[] content, int uid, Origin origin)
      throws TempFailException {
    Optional<PasswdEntry> who = lookup(uid);
    String login = who.map(PasswdEntry::name).orElse("uid" + uid);

    // The sender: -f as given (qualified), else the submitting user.
    boolean senderSet = "1".equals(in.attribute(Envelope.ATTR_SENDER_SET));
    String own = login + "@" + myorigin;
    String sender = senderSet ? Addresses.qualify(in.sender(), myorigin) : own;
    boolean trusted = uid == 0 || trustedUsers.contains(login);
    boolean untrusted = senderSet && !trusted && !sender.equalsIgnoreCase(own);

    // Recipients: qualified, first occurrence kept, the address as given kept as original.
    Map<String, Recipient> rcpts = new LinkedHashMap<>();
    for (Recipient r : in.recipients()) {
      String address = Addresses.qualify(r.address(), myorigin);
      rcpts.putIfAbsent(
          address.toLowerCase(Locale.ROOT),
          new Recipient(address, Addresses.qualify(r.original(), myorigin), r.notifyList()));
    }
    List<String> rcptAddresses = new ArrayList<>();
    rcpts.values().forEach(r -> rcptAddresses.add(r.address()));

    // Headers: complete what is missing, drop what must not travel.
    HeaderSection section = HeaderSection.parse(content);
    String fullName = in.attribute(Envelope.ATTR_FULLNAME);
    if (fullName.isEmpty()) {
      fullName = who.map(PasswdEntry::fullName).orElse("");
    }
    HeaderCompleter.Facts facts =
        new HeaderCompleter.Facts(
            id.value(),
            myhostname,
            uid,
            login,
            sender,
            fullName,
            rcptAddresses,
            untrusted,
            "1".equals(in.attribute(Envelope.ATTR_GATEWAY)),
            origin == Origin.LOCAL,
            ZonedDateTime.now(clock));
    List<Header> added = HeaderCompleter.complete(section, facts);
    // RFC 5321 §4.4: smtpd's trace header stays on top, above what cleanup adds.
    int leading = origin == Origin.SMTP && !section.headers().isEmpty()
        && section.headers().get(0).is("Received") ? 1 : 0;
    byte[] cleaned = section.toBytes(leading, added, DROPPED);
    List<String> ids = section.values("Message-ID");
    String messageId = ids.isEmpty() ? HeaderCompleter.messageId(facts) : ids.get(0).strip();

    Map<String, String> attrs = new HashMap<>(in.attributes());
    attrs.remove(Envelope.ATTR_SENDER_SET);
    attrs.remove(Envelope.ATTR_FULLNAME);
    Envelope out =
        new Envelope(
            clock.millis(), uid, login, sender, new ArrayList<>(rcpts.values()), attrs);
    return new Cleaned(out, cleaned, messageId);
  }

  private Optional<PasswdEntry> lookup(int uid) throws TempFailException {
    try {
      return users.byUid(uid);
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", "user lookup failure for uid " + uid, e);
    }
  }
}
