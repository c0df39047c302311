package org.postern.engine.smtpd;

/**
 * What a new session on one listening address gets: the session context of that port
 * (settings, TLS, policy, intake) and whether the client's name is looked up. Built from
 * main.cf at open and at each reload; a session keeps the one it started with.
 *
 * <p>Immutable; its parts are thread-safe.
 */
record ListenerService(SessionContext context, boolean peernameLookup) {}
