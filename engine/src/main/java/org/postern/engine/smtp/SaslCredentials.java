package org.postern.engine.smtp;

import java.util.List;

/**
 * The login for one server: the authentication id and password, the authorization id when it
 * differs (sendmail's {@code U:} beside {@code I:}), and the mechanisms the entry allows
 * (sendmail's {@code M:}; empty: any).
 *
 * <p>From the admin's password table. Immutable; {@link #toString} hides the password, so a
 * stray log line or exception message cannot carry it.
 */
record SaslCredentials(
    String authenticationId, String authorizationId, String password, List<String> mechanisms) {
  SaslCredentials {
    mechanisms = List.copyOf(mechanisms);
  }

  @Override
  public String toString() {
    return "SaslCredentials[" + authenticationId + ", password hidden]";
  }
}
