package org.postern.engine.smtpd;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What the SMTP server knows about its client when it asks the policy: the address, the
 * name its reverse and forward DNS agree on ({@code unknown} otherwise, as Postfix logs it),
 * the HELO/EHLO name once given, and whether the session is TLS-protected, authenticated or
 * local ({@code sendmail -bs}, which is trusted like mynetworks); after STARTTLS, what the
 * handshake agreed ({@code tlsSession}, for the Received header).
 *
 * <p>Built by the session; immutable.
 */
public record ClientFacts(
    InetAddress address,
    String hostname,
    Optional<String> helo,
    boolean tls,
    boolean authenticated,
    boolean local,
    Optional<TlsInfo> tlsSession) {

  /** Facts without the details of a TLS session. */
  public ClientFacts(InetAddress address, String hostname, Optional<String> helo, boolean tls,
      boolean authenticated, boolean local) {
    this(address, hostname, helo, tls, authenticated, local, Optional.empty());
  }

  /** {@code host[ip]} as Postfix's log lines write the client. */
  public String logName() {
    return hostname + "[" + address.getHostAddress() + "]";
  }

  public ClientFacts withHelo(String name) {
    return new ClientFacts(address, hostname, Optional.of(name), tls, authenticated, local,
        tlsSession);
  }

  /**
   * The client after STARTTLS: TLS-protected, and its HELO forgotten (RFC 3207 §4.2: the
   * server discards what it learnt from the client before TLS).
   */
  ClientFacts withTls(TlsInfo session) {
    return new ClientFacts(address, hostname, Optional.empty(), true, authenticated, local,
        Optional.of(session));
  }
}
