package org.postern.engine.smtpd;

import java.io.IOException;

/**
 * Turns one session's connection into TLS (RFC 3207 §4) once the server has said {@code 220
 * Ready to start TLS}; the listener binds it to the client's socket. A failed handshake is an
 * IOException, after which the connection is unusable.
 */
@FunctionalInterface
interface TlsHandshake {
  TlsConnection start() throws IOException;
}
