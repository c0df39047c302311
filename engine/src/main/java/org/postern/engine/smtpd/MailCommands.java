package org.postern.engine.smtpd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Recipient;

/**
 * The commands that build a mail transaction: HELO/EHLO, MAIL, RCPT, DATA and BDAT (RFC 5321
 * §4.1.1, RFC 3030), each checked for sequence and syntax, with the policy consulted at each
 * stage and its rejects delayed to RCPT (Postfix's smtpd_delay_reject = yes), and refused
 * with 530 before STARTTLS where smtpd_tls_security_level = encrypt. A finished message goes
 * to {@link MessageCommit}.
 *
 * <p>Trusts nothing the client sends; the policy's answers are trusted. A policy lookup that
 * fails is 451 4.3.0, never an accept. One per session; not thread-safe.
 */
final class MailCommands {
  private final SessionContext context;
  private final SessionState state;
  private final SmtpSession session;
  private final MessageCommit commit;

  MailCommands(SessionContext context, SessionState state, SmtpSession session) {
    this.context = context;
    this.state = state;
    this.session = session;
    this.commit = new MessageCommit(context, state);
  }

  SessionState state() {
    return state;
  }

  /** Asks the policy about the connection; its answer waits for the first RCPT. */
  void connect() {
    ClientFacts c = state.client;
    state.connectVerdict = decide(() -> context.policy().connect(c), c.logName());
  }

  void helo(String arg, boolean ehlo) throws IOException {
    if (arg.isEmpty()) {
      session.reply(ehlo ? Replies.SYNTAX_EHLO : Replies.SYNTAX_HELO);
      return;
    }
    if (session.violatesSynchronization(ehlo ? "EHLO" : "HELO")) {
      return;
    }
    String name = arg.split(" ", 2)[0];
    endTransaction(); // RFC 5321 §4.1.4: EHLO/HELO resets the transaction
    state.esmtp = ehlo;
    state.client = state.client.withHelo(name);
    ClientFacts c = state.client;
    state.heloVerdict = decide(() -> context.policy().helo(c, name), name);
    String host = context.settings().myhostname();
    if (!ehlo) {
      session.reply("250 " + host);
      return;
    }
    long limit = context.settings().messageSizeLimit();
    List<String> lines = new ArrayList<>(List.of(
        "250-" + host,
        "250-PIPELINING",
        "250-SIZE" + (limit > 0 ? " " + limit : ""),
        "250-VRFY",
        "250-ETRN"));
    if (session.offersStartTls()) {
      lines.add("250-STARTTLS"); // where Postfix lists it
    }
    lines.addAll(List.of(
        "250-ENHANCEDSTATUSCODES",
        "250-8BITMIME",
        "250-DSN",
        "250-SMTPUTF8",
        "250 CHUNKING"));
    session.reply(String.join("\n", lines));
  }

  void mail(String arg) throws IOException {
    try {
      refuseWithoutTls();
      if (state.client.helo().isEmpty() && context.settings().heloRequired()) {
        throw new RefusedCommand(Replies.SEND_HELO_FIRST);
      }
      if (state.transaction.isPresent()) {
        throw new RefusedCommand(Replies.NESTED_MAIL);
      }
      PathArgument path = PathArgument.parse(arg, "FROM")
          .orElseThrow(() -> new RefusedCommand(Replies.SYNTAX_MAIL));
      String sender = path.address();
      if (!sender.isEmpty() && !PathArgument.validAddress(sender)) {
        throw new RefusedCommand(Replies.BAD_SENDER);
      }
      EsmtpParameters.Mail params = EsmtpParameters.mail(
          path.parameters(), state.esmtp, context.settings().sizeLimit());
      if (!params.smtputf8() && !PathArgument.isAscii(sender)) {
        throw new RefusedCommand(Replies.NEED_SMTPUTF8);
      }
      ClientFacts c = state.client;
      state.mailVerdict = decide(() -> context.policy().mailFrom(c, sender), sender);
      Transaction tx = new Transaction(sender, params.smtputf8());
      tx.attributes.putAll(params.attributes());
      state.transaction = Optional.of(tx);
      session.reply(Replies.MAIL_OK);
    } catch (RefusedCommand e) {
      session.reply(e.reply());
    }
  }

  void rcpt(String arg) throws IOException {
    try {
      refuseWithoutTls();
      Transaction tx = state.transaction.orElseThrow(() -> new RefusedCommand(Replies.NEED_MAIL));
      PathArgument path = PathArgument.parse(arg, "TO")
          .orElseThrow(() -> new RefusedCommand(Replies.SYNTAX_RCPT));
      String rcpt = path.address();
      if (rcpt.isEmpty() || !PathArgument.validAddress(rcpt)) {
        throw new RefusedCommand(Replies.BAD_RECIPIENT);
      }
      if (!tx.smtputf8 && !PathArgument.isAscii(rcpt)) {
        throw new RefusedCommand(Replies.NEED_SMTPUTF8);
      }
      EsmtpParameters.Rcpt params = EsmtpParameters.rcpt(path.parameters(), state.esmtp);
      if (tx.recipients.size() >= context.settings().recipientLimit()) {
        throw new RefusedCommand(Replies.TOO_MANY_RECIPIENTS);
      }
      for (Verdict earlier : List.of(state.connectVerdict, state.heloVerdict, state.mailVerdict)) {
        apply(earlier, tx, rcpt);
      }
      ClientFacts c = state.client;
      RcptDecision decision;
      try {
        decision = context.policy().rcptTo(c, tx.sender, rcpt);
      } catch (TempFailException e) {
        decision = new RcptDecision(lookupFailure(rcpt, e), rcpt);
      }
      apply(decision.verdict(), tx, rcpt);
      tx.recipients.add(
          new Recipient(decision.deliverTo(), params.original().orElse(rcpt), params.notifyList()));
      session.reply(Replies.RCPT_OK);
    } catch (RefusedCommand e) {
      session.reply(e.reply());
    }
  }

  void data(String arg, SmtpChannel channel) throws IOException {
    try {
      refuseWithoutTls();
      if (!arg.isEmpty()) {
        throw new RefusedCommand(Replies.SYNTAX_DATA);
      }
      Transaction tx = state.transaction.orElseThrow(() -> new RefusedCommand(Replies.NEED_MAIL));
      if (tx.recipients.isEmpty()) {
        throw new RefusedCommand(Replies.NEED_RCPT);
      }
      if (tx.body.isPresent()) {
        throw new RefusedCommand(Replies.DATA_AFTER_BDAT);
      }
    } catch (RefusedCommand e) {
      session.reply(e.reply());
      return;
    }
    if (session.violatesSynchronization("DATA")) {
      return;
    }
    MessageBody body = commit.begin(state.transaction.orElseThrow(), true, exempt());
    if (body.fault().isPresent()) {
      finish(); // the queue file cannot be opened: 451 now, before the client sends it all
      return;
    }
    session.reply(Replies.START_DATA);
    while (!body.push(channel.readByte())) {
      // RFC 5321 §4.1.1.4: read until CRLF.CRLF; MessageBody streams it to the queue file.
    }
    state.lastCommand = "END-OF-MESSAGE";
    finish();
  }

  /** RFC 3030 BDAT: the chunk is read whatever the reply, to stay in step with the client. */
  void bdat(String arg, SmtpChannel channel) throws IOException {
    String[] words = arg.split(" +");
    boolean last = words.length == 2 && words[1].equalsIgnoreCase("LAST");
    if (!words[0].matches("\\d{1,18}") || words.length > 2 || words.length == 2 && !last) {
      session.reply(Replies.SYNTAX_BDAT);
      session.close(); // the size is unknown, so the next command cannot be found
      return;
    }
    long size = Long.parseLong(words[0]);
    Optional<Transaction> tx = state.transaction.filter(t -> !t.recipients.isEmpty());
    MessageBody body = tx.map(t -> t.body.orElseGet(
        () -> commit.begin(t, false, exempt()))).orElse(null);
    for (long i = 0; i < size; i++) {
      int b = channel.readByte();
      if (body != null) {
        body.push(b);
      }
    }
    if (tx.isEmpty()) {
      session.reply(tlsRefusal().orElse(
          state.transaction.isEmpty() ? Replies.NEED_MAIL : Replies.NEED_RCPT));
    } else if (!last) {
      session.reply(String.format(Replies.CHUNK_OK, size));
    } else {
      body.finish();
      state.lastCommand = "END-OF-MESSAGE";
      finish();
    }
  }

  /** RSET, and the end of the session: an unfinished message's queue file is removed. */
  void reset() {
    endTransaction();
  }

  /**
   * After STARTTLS: RFC 3207 §4.2, forget what the client said before (HELO, EHLO, and the
   * verdicts on them); the connection's own verdict stands.
   */
  void startedTls(TlsInfo session) {
    state.client = state.client.withTls(session);
    state.esmtp = false;
    endTransaction();
    state.heloVerdict = Verdict.OK;
    state.mailVerdict = Verdict.OK;
  }

  /** smtpd_tls_security_level = encrypt and no TLS yet: the 530 (or 454) for mail commands. */
  Optional<String> tlsRefusal() {
    return context.tls().mailRefusal(state.client.tls());
  }

  /** Whether the client is on smtpd_forbid_bare_newline_exclusions. */
  private boolean exempt() {
    return context.settings().protocolExemptions().contains(state.client.address());
  }

  private void refuseWithoutTls() throws RefusedCommand {
    Optional<String> refusal = tlsRefusal();
    if (refusal.isPresent()) {
      throw new RefusedCommand(refusal.get());
    }
  }

  private void finish() throws IOException {
    Transaction tx = state.transaction.orElseThrow();
    String reply;
    try {
      reply = commit.commit(tx);
    } finally {
      endTransaction();
    }
    session.reply(reply);
    if (reply.startsWith("250")) {
      session.clearErrors();
    }
  }

  private void endTransaction() {
    state.transaction.ifPresent(commit::abandon);
    state.transaction = Optional.empty();
  }

  /** Applies a stage's verdict to the transaction; a reject refuses this RCPT (and is logged). */
  private void apply(Verdict verdict, Transaction tx, String rcpt) throws RefusedCommand {
    if (verdict instanceof Verdict.Reject r) {
      context.log().info("NOQUEUE: reject: RCPT from " + state.client.logName() + ": "
          + r.reply() + "; from=<" + tx.sender + "> to=<" + rcpt + "> proto="
          + state.protocol() + " helo=<" + state.heloName() + ">");
      throw new RefusedCommand(r.reply());
    } else if (verdict instanceof Verdict.Discard) {
      tx.discard = true;
    } else if (verdict instanceof Verdict.Quarantine q) {
      tx.quarantine = Optional.of(q.reason());
    }
  }

  private Verdict decide(SmtpSession.PolicyCall<Verdict> call, String subject) {
    try {
      return call.call();
    } catch (TempFailException e) {
      return lookupFailure(subject, e);
    }
  }

  private Verdict lookupFailure(String subject, TempFailException e) {
    context.log().warning("policy lookup for " + subject + " from " + state.client.logName()
        + " failed: " + e.getMessage());
    return new Verdict.Reject(451, "4.3.0", "<" + MailLog.printable(subject)
        + ">: Temporary lookup failure");
  }
}
