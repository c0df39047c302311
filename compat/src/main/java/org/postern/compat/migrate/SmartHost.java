package org.postern.compat.migrate;

import java.util.Locale;
import java.util.Optional;

/**
 * sendmail's smart host, {@code define(`SMART_HOST', `relay:[mail.example]')} or the frozen
 * {@code DS} line: the mailer it goes through ({@code relay} unless named) and the host as
 * written, brackets included ({@code [host]}: no MX lookup, as in Postfix's relayhost).
 *
 * <p>Trusts nothing in the text. The port is not part of it: sendmail takes it from the
 * mailer's {@code TCP $h PORT} arguments ({@link #port}). Immutable.
 */
record SmartHost(String mailer, String host) {
  /** The smart host in {@code value}; empty for an empty value. */
  static Optional<SmartHost> parse(String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    int colon = v.indexOf(':');
    int bracket = v.indexOf('[');
    // A mailer prefix is a word before the first colon, outside the brackets of an address.
    if (colon > 0 && (bracket < 0 || bracket > colon)) {
      return Optional.of(new SmartHost(v.substring(0, colon).toLowerCase(Locale.ROOT),
          v.substring(colon + 1)));
    }
    return Optional.of(new SmartHost("relay", v));
  }

  /** The m4 macro holding this mailer's argument vector ({@code RELAY_MAILER_ARGS}). */
  String argsMacro() {
    return mailer.toUpperCase(Locale.ROOT) + "_MAILER_ARGS";
  }

  /** The port in a mailer argument vector {@code TCP $h 587}; empty for sendmail's 25. */
  static Optional<Integer> port(String mailerArgs) {
    String[] words = mailerArgs.strip().split("\\s+");
    if (words.length == 3 && words[0].equals("TCP") && words[2].matches("[0-9]{1,5}")) {
      int port = Integer.parseInt(words[2]);
      return port == 25 ? Optional.empty() : Optional.of(port);
    }
    return Optional.empty();
  }

  /** The relayhost value: the host as written, with {@code :port} when not 25. */
  String relayhost(Optional<Integer> port) {
    return host + port.map(p -> ":" + p).orElse("");
  }

  /** The host name without brackets, as sendmail's AuthInfo: and TLS_Srv: keys name it. */
  String name() {
    return host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
  }
}
