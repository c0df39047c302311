package org.postern.engine.smtpd;

import javax.net.ssl.SSLSocket;

/** A connection after a successful STARTTLS handshake: the TLS socket and what it agreed. */
record TlsConnection(SSLSocket socket, TlsInfo info) {}
