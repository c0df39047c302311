package org.postern.engine.cleanup;

import java.io.OutputStream;
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
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.maps.LookupException;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;

/**
 * Turns a submission into the message the queue delivers (Postfix's cleanup): the submitter
 * named from the trusted uid, the envelope sender qualified (or taken from the uid when -f was
 * not used), recipients qualified and de-duplicated; then, as the content streams through the
 * {@link ContentCleaner} it hands out, missing headers and (for a local submission; smtpd
 * writes its own) the Received header added and unqualified header addresses qualified with
 * myorigin (append_at_myorigin), and Bcc, Resent-Bcc, Content-Length and Return-Path removed.
 * As in Postfix, the envelope sender and every recipient go through the canonical maps and
 * masquerading, and every recipient then through virtusertable ({@link EnvelopeRewriter}, the
 * one place all mail passes); the header addresses of a local submission get the canonical
 * maps and masquerading too, and keep what virtusertable does not show.
 *
 * <p>Trusts only the uid (the maildrop file's owner, or the submission socket's peer, both
 * from the kernel); everything in the envelope and content is the submitter's claim. A
 * failed user lookup is temporary. Stateless apart from its collaborators; thread-safe.
 */
public final class Cleanup {
  /** A submission whose envelope is cleaned; its content is cleaned by {@link #content}. */
  public record Cleaned(Envelope envelope, HeaderCompleter.Facts facts, Origin origin) {}

  /** Where a message comes from, which decides who writes its trace header. */
  public enum Origin {
    /** A local submission (maildrop, submission socket): cleanup adds the Received header. */
    LOCAL,
    /** The SMTP server, whose Received header (queue id included) is already on top. */
    SMTP,
    /**
     * The SMTP server, for a client on one of this machine's own addresses: as {@link #SMTP},
     * but its header addresses are qualified as a local submission's (Postfix's default
     * local_header_rewrite_clients = permit_inet_interfaces: scripts using smtplib on
     * localhost write {@code To: bob} too).
     */
    SMTP_LOCAL_CLIENT
  }

  private final UserDirectory users;
  private final Clock clock;
  private final String myhostname;
  private final String myorigin;
  private final List<String> trustedUsers;
  private final int headerSizeLimit;
  private final EnvelopeRewriter envelope;
  private final AddressRewriter localRewriter;

  public Cleanup(Config config, UserDirectory users, Clock clock) throws ConfigException {
    this.users = users;
    this.clock = clock;
    this.myhostname = config.get(Params.MYHOSTNAME);
    this.myorigin = config.get(Params.MYORIGIN);
    this.trustedUsers = config.list(Params.TRUSTED_USERS);
    this.headerSizeLimit = (int) Math.min(Integer.MAX_VALUE - 8,
        Math.max(1, config.number(Params.HEADER_SIZE_LIMIT)));
    this.envelope = EnvelopeRewriter.open(config);
    AddressMapping mapping = envelope.mapping();
    boolean append = config.bool(Params.APPEND_AT_MYORIGIN);
    this.localRewriter = new AddressRewriter((address, where) -> mapping.map(
        append ? Addresses.qualify(address, myorigin) : address, where).address());
  }

  /**
   * Cleans the envelope of a message from {@code origin} to be queued as {@code id}: a local
   * one will get cleanup's Received header naming {@code id}, an SMTP one keeps the single
   * trace header smtpd wrote (RFC 5321 §4.4).
   */
  public Cleaned clean(QueueId id, Envelope in, int uid, Origin origin)
      throws TempFailException {
    Optional<PasswdEntry> who = lookup(uid);
    String login = who.map(PasswdEntry::name).orElse("uid" + uid);

    // The sender: -f as given (qualified), else the submitting user.
    boolean senderSet = "1".equals(in.attribute(Envelope.ATTR_SENDER_SET));
    String own = login + "@" + myorigin;
    String sender = senderSet ? Addresses.qualify(in.sender(), myorigin) : own;
    boolean trusted = uid == 0 || trustedUsers.contains(login);
    boolean untrusted = senderSet && !trusted && !sender.equalsIgnoreCase(own);
    sender = envelope.sender(sender);

    // Recipients: qualified, first occurrence kept, the address as given kept as original.
    Map<String, Recipient> rcpts = new LinkedHashMap<>();
    Map<String, String> given = new LinkedHashMap<>();
    for (Recipient r : in.recipients()) {
      String address = Addresses.qualify(r.address(), myorigin);
      given.putIfAbsent(address.toLowerCase(Locale.ROOT), address);
      String original = Addresses.qualify(r.original(), myorigin);
      for (Recipient v : envelope.recipients(new Recipient(address, original, r.notifyList()))) {
        rcpts.putIfAbsent(v.address().toLowerCase(Locale.ROOT), v);
      }
    }

    // What the headers will be completed with, once the content comes.
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
            new ArrayList<>(given.values()),
            untrusted,
            "1".equals(in.attribute(Envelope.ATTR_GATEWAY)),
            origin == Origin.LOCAL,
            ZonedDateTime.now(clock));

    Map<String, String> attrs = new HashMap<>(in.attributes());
    attrs.remove(Envelope.ATTR_SENDER_SET);
    attrs.remove(Envelope.ATTR_FULLNAME);
    Envelope out =
        new Envelope(
            clock.millis(), uid, login, sender, new ArrayList<>(rcpts.values()), attrs);
    return new Cleaned(out, facts, origin);
  }

  /**
   * The stream the submitted content (LF line ends) is to be written to: it cleans the
   * header section (held in memory up to header_size_limit) and passes the body on to
   * {@code out} as it comes.
   */
  public ContentCleaner content(Cleaned message, OutputStream out) {
    // Postfix's local_header_rewrite_clients: headers of local submissions are rewritten
    // (qualified, canonical maps, masquerading); those of SMTP clients are left as written.
    boolean smtp = message.origin() != Origin.LOCAL;
    return new ContentCleaner(out, message.facts(), smtp,
        message.origin() == Origin.SMTP ? Optional.empty() : Optional.of(localRewriter),
        headerSizeLimit);
  }

  private Optional<PasswdEntry> lookup(int uid) throws TempFailException {
    try {
      return users.byUid(uid);
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", "user lookup failure for uid " + uid, e);
    }
  }
}
