package org.postern.compat.submit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.postern.compat.sendmail.OperationMode;
import org.postern.compat.sendmail.SendmailOptionParser;
import org.postern.compat.sendmail.SendmailOptions;
import org.postern.compat.sendmail.Streams;
import org.postern.compat.sendmail.SubmitMode;
import org.postern.compat.sendmail.UsageException;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Sysexit;
import org.postern.engine.global.TempFailException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.util.ProcessIdentity;
import org.postern.engine.util.TimedChannel;

/**
 * One connection to the submission socket (see {@link SubmitProtocol}): learns the peer from
 * SO_PEERCRED, reads the header, re-parses the arguments with sendmail's own parser, answers
 * a listing itself with REPLY to a version 2 client ({@link ListingReply}; for the program
 * name {@code postern}, its {@code queue} listing, and LOCAL for anything else), LOCAL for
 * anything else but a message submission, and otherwise runs sendmail's submission for the
 * peer, with the message going straight to incoming/ (a {@link DaemonIntake}).
 *
 * <p>Trusts only the kernel's credentials; the header and data are checked and a violation
 * gets one {@code ERROR} line and the close, with nothing queued. The result is sent only
 * after the message is durable. Owns its connection and closes it. One thread per session.
 */
final class SubmitSession implements Runnable {
  /** What every session of a server shares; all of it thread-safe. */
  record Context(
      MailSystem system,
      Pickup pickup,
      ListingReply listings,
      PeerIdentity peers,
      Runnable onQueued,
      MailLog log,
      SubmissionServer.Limits limits) {}

  /** The only client environment entry used: the sender's full name (as sendmail does). */
  private static final String NAME = "NAME";
  /** The program name of the admin command, whose {@code queue} listing is answered here. */
  private static final String POSTERN = "postern";

  private final Context ctx;
  private final TimedChannel channel;

  SubmitSession(Context ctx, TimedChannel channel) {
    this.ctx = ctx;
    this.channel = channel;
  }

  @Override
  public void run() {
    try (channel) {
      InputStream in = new BufferedInputStream(channel.input());
      OutputStream out = new BufferedOutputStream(channel.output());
      serve(in, out);
      out.flush();
    } catch (IOException e) {
      ctx.log().warning("submission: lost connection: " + e.getMessage());
    } catch (RuntimeException e) {
      ctx.log().error("submission: internal error: " + e);
    }
  }

  private void serve(InputStream in, OutputStream out) throws IOException {
    // Who is it (the kernel's word), and what do they ask for?
    ProcessIdentity me;
    SubmitRequest request;
    try {
      me = ctx.peers().of(channel.channel());
      request = SubmitRequest.read(in);
    } catch (TempFailException | SubmitProtocol.ProtocolException e) {
      refuse(out, e.getMessage());
      return;
    }
    if (request.program().equals(POSTERN)) {
      // The admin command's queue listing, from the native front; never a submission.
      Optional<ListingReply.Outcome> listed = request.takesReply()
          ? ctx.listings().runQueueVerb(request, me) : Optional.empty();
      if (listed.isEmpty()) {
        SubmitProtocol.writeLine(out, SubmitProtocol.LOCAL);
        return;
      }
      SubmitProtocol.writeLine(out, SubmitProtocol.REPLY);
      result(out, listed.get().out(), listed.get().err(), Optional.empty(), listed.get().exit());
      return;
    }
    Optional<SendmailOptions> parsed = parse(request);
    if (parsed.isPresent() && request.takesReply() && ListingReply.serves(parsed.get())) {
      SubmitProtocol.writeLine(out, SubmitProtocol.REPLY);
      ListingReply.Outcome o = ctx.listings().run(parsed.get(), request, me);
      result(out, o.out(), o.err(), Optional.empty(), o.exit());
      return;
    }
    Optional<SendmailOptions> opts = parsed.filter(SubmitSession::isSubmission);
    if (opts.isEmpty()) {
      SubmitProtocol.writeLine(out, SubmitProtocol.LOCAL);
      return;
    }
    SubmitProtocol.writeLine(
        out, opts.get().ignoreDots() ? SubmitProtocol.SEND_EOF : SubmitProtocol.SEND_DOT);
    out.flush();

    // The submission itself, as the command would run it, then the rest of the input.
    channel.timeout(ctx.limits().dataTimeout());
    ChunkInput data = new ChunkInput(in);
    DaemonIntake intake = new DaemonIntake(ctx.pickup(), me.uid(), ctx.onQueued());
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit = submit(opts.get(), request, me, intake, data, stdout, stderr);
    try {
      data.drain();
    } catch (IOException e) {
      if (!intake.queuedAny()) {
        refuse(out, e.getMessage());
        return;
      }
      ctx.log().warning("submission: uid=" + me.uid() + ": after queueing: " + e.getMessage());
    }

    // The result, only now that whatever was queued is on disk.
    channel.timeout(ctx.limits().headerTimeout());
    result(out, stdout.toByteArray(), stderr.toByteArray(), intake.deadLetter(), exit);
  }

  /** The result records: what is not empty of stdout, stderr and dead.letter, then EXIT. */
  private static void result(OutputStream out, byte[] stdout, byte[] stderr,
      Optional<byte[]> dead, int exit) throws IOException {
    nonEmpty(out, SubmitProtocol.OUT, stdout);
    nonEmpty(out, SubmitProtocol.ERR, stderr);
    if (dead.isPresent()) {
      nonEmpty(out, SubmitProtocol.DEAD, dead.get());
    }
    SubmitProtocol.writeLine(out, SubmitProtocol.EXIT + " " + exit);
  }

  /** The options as sendmail's parser reads them; empty on a usage error. */
  private static Optional<SendmailOptions> parse(SubmitRequest request) {
    try {
      return Optional.of(SendmailOptionParser.parse(request.program(), request.args()));
    } catch (UsageException e) {
      return Optional.empty(); // the command prints the usage error itself
    }
  }

  /**
   * Whether this is a message submission the daemon serves. Not -v: it shows the delivery
   * dialogue, so the command delivers in its own process (the JVM client never asks the
   * daemon for it; the native front asks for everything and gets LOCAL).
   */
  private static boolean isSubmission(SendmailOptions opts) {
    return opts.mode() == OperationMode.DELIVER && !opts.printVersion() && !opts.verbose();
  }

  /** Runs sendmail's submission for the peer; returns its exit code (as the command would). */
  private int submit(
      SendmailOptions opts,
      SubmitRequest request,
      ProcessIdentity me,
      DaemonIntake intake,
      InputStream data,
      ByteArrayOutputStream stdout,
      ByteArrayOutputStream stderr) {
    String program = request.program();
    Map<String, String> env =
        request.env().containsKey(NAME) ? Map.of(NAME, request.env().get(NAME)) : Map.of();
    try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
      Streams io = new Streams(data, o, e, program);
      try {
        return new SubmitMode(ctx.system(), opts, io, env, me, intake).run();
      } catch (ConfigException x) {
        e.println(program + ": fatal: " + x.getMessage());
        return Sysexit.EX_CONFIG.code();
      } catch (RuntimeException x) {
        ctx.log().error("submission: uid=" + me.uid() + ": internal error: " + x);
        e.println(program + ": fatal: internal error: " + x);
        return Sysexit.EX_SOFTWARE.code();
      }
    }
  }

  private void refuse(OutputStream out, String reason) throws IOException {
    String text = reason == null ? "protocol error" : reason;
    String line = MailLog.printable(text.length() > 200 ? text.substring(0, 200) : text);
    ctx.log().warning("submission: refused: " + line);
    SubmitProtocol.writeLine(out, SubmitProtocol.ERROR + " " + line);
  }

  private static void nonEmpty(OutputStream out, String tag, byte[] bytes) throws IOException {
    if (bytes.length > 0) {
      SubmitProtocol.writeRecord(out, tag, bytes);
    }
  }
}
