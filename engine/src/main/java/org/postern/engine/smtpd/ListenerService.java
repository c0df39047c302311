package org.postern.engine.smtpd;

import java.util.Optional;
import org.postern.engine.dns.PeerName;

/**
 * What a new session on one listening address gets: the session context of that port
 * (settings, TLS, policy, intake) and, when smtpd_peername_lookup is on, the lookup of the
 * client's forward-confirmed name through the configured DNS resolver. Built from
 * main.cf at open and at each reload; a session keeps the one it started with.
 *
 * <p>Immutable; its parts are thread-safe.
 */
record ListenerService(SessionContext context, Optional<PeerName> peerNames) {}
