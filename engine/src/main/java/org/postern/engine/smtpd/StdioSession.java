package org.postern.engine.smtpd;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postern.engine.global.ConfigException;
import org.postern.engine.master.MailSystem;

/**
 * {@code sendmail -bs}: one SMTP session on the caller's stdin/stdout, as MUAs such as Alpine
 * use it. The client is local ({@code localhost[127.0.0.1]}, trusted like mynetworks, exempt
 * from the pipelining check since a pipe always has input waiting); messages go into the
 * maildrop in the caller's name ({@link MaildropSmtpIntake}). STARTTLS is never offered: a
 * pipe to a local process has nothing to protect (Postfix's {@code -bs} does not offer it).
 *
 * <p>No read timeout: stdin has none (the caller owns the pipe). Not thread-safe.
 */
public final class StdioSession {
  private StdioSession() {}

  /** Runs the session to its end; true when at least one message was queued. */
  public static boolean run(MailSystem system, InputStream in, OutputStream out)
      throws ConfigException {
    AtomicBoolean queued = new AtomicBoolean();
    SessionContext context = new SessionContext(
        SessionSettings.from(system.config()),
        ServerTls.none(),
        new StandardPolicy(system.config(), system),
        new MaildropSmtpIntake(system.queue(), system.log("smtpd")),
        system.log("smtpd"),
        () -> queued.set(true),
        Clock.systemDefaultZone());
    new SmtpSession(context, localClient(), in, out, Optional.empty()).run();
    return queued.get();
  }

  private static ClientFacts localClient() {
    try {
      InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
      return new ClientFacts(loopback, "localhost", Optional.empty(), false, false, true);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a literal IPv4 address cannot fail", e);
    }
  }
}
