package org.postern.engine.smtpd;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;

/**
 * One SMTP server session (RFC 5321) over a pair of streams, so the same code serves a TCP
 * connection and {@code sendmail -bs} on stdin/stdout: the greeting, the command loop, error
 * counting and limits, and the session's end with Postfix's log lines ({@code connect from},
 * {@code disconnect from ... commands=N}, {@code lost connection after}, {@code timeout
 * after}), and STARTTLS (RFC 3207). The mail commands themselves are {@link MailCommands}.
 *
 * <p>Trusts nothing the client sends; plaintext pipelined after STARTTLS is discarded, never
 * run as a command over TLS (CVE-2011-0411). Owns no thread: the caller runs {@link #run}
 * and closes the connection afterwards. Reads time out as the socket says (smtpd_timeout),
 * over TLS too. A bug in a command ends the session with 421 4.3.0, never with a false 250.
 * Not thread-safe.
 */
public final class SmtpSession {
  /** Commands of other protocols (Postfix's smtpd_forbidden_commands): hang up. */
  private static final Set<String> FORBIDDEN = Set.of("CONNECT", "GET", "POST");

  private final SessionContext context;
  private final SmtpChannel channel;
  private final MailCommands mail;
  private final Optional<TlsHandshake> tls;
  private final MailLog log;
  private final CommandCounts counts = new CommandCounts();
  private int errors;
  private int lastCode;
  private boolean closing;

  /** {@code tls}: how to start TLS on this connection (none: STARTTLS is not offered). */
  public SmtpSession(SessionContext context, ClientFacts client, InputStream in,
      OutputStream out, Optional<TlsHandshake> tls) {
    this.context = context;
    this.log = context.log();
    this.channel = new SmtpChannel(in, out, context.settings().lineLengthLimit());
    this.mail = new MailCommands(context, new SessionState(client), this);
    this.tls = tls;
  }

  /** Serves the client until QUIT, a fatal error or the end of its input; never throws. */
  public void run() {
    SessionState state = mail.state();
    String who = state.client.logName();
    log.info("connect from " + who);
    try {
      mail.connect();
      reply("220 " + context.settings().banner());
      while (!closing) {
        if (errors >= context.settings().hardErrorLimit()) {
          log.info("too many errors after " + state.lastCommand + " from " + who);
          reply(String.format(Replies.TOO_MANY_ERRORS, context.settings().myhostname()));
          break;
        }
        command(channel.readCommand());
      }
    } catch (EOFException e) {
      log.info("lost connection after " + state.lastCommand + " from " + who);
    } catch (InterruptedIOException e) {
      log.info("timeout after " + state.lastCommand + " from " + who);
      quietReply(String.format(Replies.TIMEOUT, context.settings().myhostname()));
    } catch (IOException e) {
      log.info("lost connection after " + state.lastCommand + " from " + who + ": "
          + e.getMessage());
    } catch (RuntimeException e) {
      // Top of the session: a bug must not look like acceptance (STYLE §5).
      log.error("smtpd session with " + who + " failed after " + state.lastCommand + ": " + e);
      quietReply("421 4.3.0 " + context.settings().myhostname() + " Error: internal error");
    } finally {
      mail.reset(); // a message cut off mid-DATA or between BDAT chunks leaves no temp file
    }
    log.info("disconnect from " + who + counts.summary());
  }

  private void command(SmtpChannel.CommandLine line) throws IOException {
    String text = line.text();
    int space = text.indexOf(' ');
    String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
    String arg = space < 0 ? "" : text.substring(space + 1).strip();
    SessionState state = mail.state();
    if (isNonSmtp(verb)) {
      log.warning("non-SMTP command from " + state.client.logName() + ": " + text);
      reply(Replies.NON_SMTP);
      counts.record("unknown", false);
      closing = true;
      return;
    }
    state.lastCommand = verb.matches("[A-Z]{4}") || verb.equals("STARTTLS") ? verb : "UNKNOWN";
    if (line.tooLong()) {
      reply(Replies.LINE_TOO_LONG);
    } else {
      dispatch(verb, arg);
    }
    counts.record(verb.toLowerCase(Locale.ROOT), lastCode < 400);
  }

  private void dispatch(String verb, String arg) throws IOException {
    switch (verb) {
      case "HELO" -> mail.helo(arg, false);
      case "EHLO" -> mail.helo(arg, true);
      case "MAIL" -> mail.mail(arg);
      case "RCPT" -> mail.rcpt(arg);
      case "DATA" -> mail.data(arg, channel);
      case "BDAT" -> mail.bdat(arg, channel);
      case "RSET" -> {
        if (arg.isEmpty()) {
          mail.reset();
          reply(Replies.OK);
        } else {
          reply(String.format(Replies.SYNTAX_NO_ARGS, "RSET"));
        }
      }
      case "STARTTLS" -> startTls(arg);
      case "NOOP" -> reply(Replies.OK);
      case "QUIT" -> {
        reply(Replies.BYE);
        closing = true;
      }
      // RFC 5321 §3.5.3: 252, we neither confirm nor deny (Postfix does the same by default).
      case "VRFY" -> reply(mail.tlsRefusal().orElse(arg.isEmpty() ? Replies.SYNTAX_VRFY
          : String.format(Replies.VRFY, MailLog.printable(arg))));
      // RFC 1985: no fast-flush domains, so nothing can be queued on request.
      case "ETRN" -> reply(mail.tlsRefusal().orElse(
          arg.isEmpty() ? Replies.SYNTAX_ETRN : Replies.ETRN_UNAVAILABLE));
      default -> reply(Replies.NOT_RECOGNIZED);
    }
  }

  /** Whether EHLO lists STARTTLS: possible here, and not done yet (RFC 3207 §4.2). */
  boolean offersStartTls() {
    return tls.isPresent() && context.tls().available() && !mail.state().client.tls();
  }

  /**
   * RFC 3207 STARTTLS, with Postfix's replies. After 220 the plaintext the client sent ahead
   * is thrown away, the handshake runs, and the session starts afresh: EHLO again, no
   * transaction. A failed handshake ends the session (the connection is unusable).
   */
  private void startTls(String arg) throws IOException {
    SessionState state = mail.state();
    if (!arg.isEmpty()) {
      reply(Replies.SYNTAX_STARTTLS);
    } else if (state.client.tls()) {
      reply(Replies.TLS_ACTIVE);
    } else if (tls.isEmpty() || !context.tls().enabled()) {
      reply(Replies.NOT_IMPLEMENTED);
    } else if (!context.tls().available()) {
      reply(Replies.TLS_UNAVAILABLE);
    } else if (state.transaction.isPresent()) {
      reply(Replies.MAIL_IN_PROGRESS);
    } else {
      reply(Replies.READY_TLS);
      handshake(state);
    }
  }

  private void handshake(SessionState state) {
    String who = state.client.logName();
    int dropped = channel.discardBuffered();
    if (dropped > 0) {
      log.info("improper command pipelining after STARTTLS from " + who + ": " + dropped
          + " bytes of plaintext discarded");
    }
    TlsConnection connection;
    try {
      connection = tls.orElseThrow().start();
      channel.upgrade(connection.socket().getInputStream(),
          connection.socket().getOutputStream());
    } catch (IOException e) {
      log.info("SSL_accept error from " + who + ": " + e.getMessage());
      log.info("lost connection after STARTTLS from " + who);
      closing = true;
      return;
    }
    mail.startedTls(connection.info());
    log.info("Anonymous TLS connection established from " + who + ": "
        + connection.info().summary());
  }

  /** Postfix: smtpd_forbidden_commands, header-like lines, anything not starting A-Z. */
  private static boolean isNonSmtp(String verb) {
    if (verb.isEmpty()) {
      return false;
    }
    char first = verb.charAt(0);
    return FORBIDDEN.contains(verb) || verb.endsWith(":") || first < 'A' || first > 'Z';
  }

  /**
   * RFC 2920 §3.1: a client may not send ahead of the EHLO/HELO or DATA reply. Replies 554
   * and ends the session when it did (unless authenticated or local); true then.
   */
  boolean violatesSynchronization(String after) throws IOException {
    SessionState state = mail.state();
    if (!context.settings().forbidUnauthPipelining() || state.client.authenticated()
        || state.client.local() || !channel.hasPendingInput()
        || context.settings().protocolExemptions().contains(state.client.address())) {
      return false;
    }
    log.info("improper command pipelining after " + after + " from " + state.client.logName());
    reply(Replies.SYNCHRONIZATION);
    closing = true;
    return true;
  }

  /** Sends a reply; counts errors and slows down past smtpd_soft_error_limit. */
  void reply(String text) throws IOException {
    lastCode = Integer.parseInt(text.substring(0, 3));
    if (lastCode >= 400) {
      errors++;
    }
    if (errors >= context.settings().softErrorLimit() && errors > 0) {
      pause();
    }
    channel.reply(text);
  }

  /** A message was queued: Postfix forgives earlier errors. */
  void clearErrors() {
    errors = 0;
  }

  /** Asks the loop to end after this reply (an unrecoverable protocol state). */
  void close() {
    closing = true;
  }

  private void quietReply(String text) {
    try {
      channel.reply(text);
    } catch (IOException e) {
      // the client is gone already; the session ends either way
    }
  }

  private void pause() {
    long ms = context.settings().errorSleep().toMillis();
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing = true;
    }
  }

  /** A policy call that may fail temporarily. */
  @FunctionalInterface
  interface PolicyCall<T> {
    T call() throws TempFailException;
  }
}
