package org.postern.engine.smtp;

import javax.net.ssl.SSLSocket;

/**
 * A completed client TLS handshake: the socket to continue on and what the log line says
 * about it, in Postfix's words: "Verified" (chain and name checked), "Trusted" (chain
 * checked), "Untrusted" (certificate not checked or not valid), "Anonymous" (none). Immutable.
 */
record TlsSession(SSLSocket socket, Trust trust, String protocol, String cipher, int bits) {
  enum Trust {
    ANONYMOUS("Anonymous"),
    UNTRUSTED("Untrusted"),
    TRUSTED("Trusted"),
    VERIFIED("Verified");

    final String word;

    Trust(String word) {
      this.word = word;
    }
  }

  /** Postfix's "Untrusted TLS connection established to HOST[IP]:PORT: ..." line. */
  String logLine(Endpoint server) {
    return trust.word + " TLS connection established to " + server.namaddrport() + ": "
        + protocol + " with cipher " + cipher + " (" + bits + "/" + bits + " bits)";
  }
}
