package org.postern.engine.smtpd;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What the SMTP server knows about its client when it asks the policy: the address, the
 * name its reverse and forward DNS agree on ({@code unknown} otherwise, as Postfix logs it),
 * the HELO/EHLO name once given, and whether the session is TLS-protected, authenticated or
 * local ({@code sendmail -bs}, which is trusted like mynetworks).
 *
 * <p>Built by the session; immutable.
 */
public record ClientFacts(
    InetAddress address,
    String hostname,
    Optional<String> helo,
    boolean tls,
    boolean authenticated,
    boolean local) {

  /** {@code host[ip]} as Postfix's log lines write the client. */
  public String logName() {
    return hostname + "[" + address.getHostAddress() + "]";
  }

  public ClientFacts withHelo(String name) {
    return new ClientFacts(address, hostname, Optional.of(name), tls, authenticated, local);
  }
}
