package org.postern.engine.smtpd;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.QueueId;

/**
 * The trace header the SMTP server puts in front of a message (RFC 5321 §4.4), in Postfix's
 * shape: {@code Received: from HELO (HOST [IP])\n\tby MYHOSTNAME (Postern) with ESMTP id
 * QUEUEID\n\tfor <rcpt>; DATE} (the {@code for} clause only for a single recipient, which
 * does not reveal the others), the protocol {@code SMTP}/{@code ESMTP} with {@code S} for
 * TLS, {@code A} for an authenticated client and a {@code UTF8} prefix for SMTPUTF8 (RFC 3848,
 * RFC 6531). After STARTTLS, Postfix's {@code (using TLSv1.3 with cipher ... (256/256 bits))}
 * and {@code (No client certificate requested)} lines come before {@code by}.
 *
 * <p>The HELO name is the client's claim; control characters are escaped. Stateless.
 */
final class ReceivedHeader {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z (zzz)", Locale.ROOT);

  private ReceivedHeader() {}

  /** The protocol name of the session, as logs ({@code proto=}) and the header write it. */
  static String protocol(boolean esmtp, ClientFacts client, boolean utf8) {
    String p = esmtp ? "ESMTP" : "SMTP";
    if (esmtp && (client.tls() || client.authenticated())) {
      p += (client.tls() ? "S" : "") + (client.authenticated() ? "A" : "");
    }
    return utf8 ? "UTF8" + p : p;
  }

  /** The header with its LF, ready to go before the content. */
  static byte[] build(ClientFacts client, String myhostname, String protocol, QueueId id,
      List<String> recipients, ZonedDateTime now) {
    String ip = client.address().getHostAddress();
    if (client.address() instanceof Inet6Address) {
      ip = "IPv6:" + ip;
    }
    String helo = MailLog.printable(client.helo().orElse(client.hostname()));
    String forClause = recipients.size() == 1 ? "\n\tfor <" + recipients.get(0) + ">" : "";
    String tls = client.tlsSession().map(t -> "\t(using " + t.summary() + ")\n"
        + "\t(No client certificate requested)\n").orElse("");
    String header = "Received: from " + helo + " (" + client.hostname() + " [" + ip + "])\n"
        + tls + "\tby " + myhostname + " (Postern) with " + protocol + " id " + id + forClause
        + "; "
        + now.format(DATE) + "\n";
    return header.getBytes(StandardCharsets.UTF_8);
  }
}
