package org.postern.compat.migrate;

import java.util.Locale;
import java.util.Optional;

/**
 * One sendmail daemon listener, from {@code DAEMON_OPTIONS(`Port=smtp, Addr=127.0.0.1,
 * Name=MTA')} or the frozen {@code O DaemonPortOptions=...}: its address, port and
 * {@code M=} modifiers, and the {@code smtpd_listen} item that listens the same way
 * ({@code 127.0.0.1:25}, {@code [::1]:587}, {@code 25} for every address).
 *
 * <p>Trusts nothing in the text: a port that is neither a number nor smtp, submission or
 * smtps gives no listener. Immutable.
 */
record DaemonOptions(Optional<String> address, boolean inet6, int port, String modifiers) {
  /** The options of one listener; empty when its port cannot be read. */
  static Optional<DaemonOptions> parse(String text) {
    String addr = null;
    String family = "inet";
    String port = "smtp";
    String modifiers = "";
    for (String item : text.split(",")) {
      int eq = item.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = item.substring(eq + 1).strip();
      // sendmail reads only the first letter of each key (Port, P; Addr, A; Modifier, M).
      switch (key.isEmpty() ? ' ' : key.charAt(0)) {
        case 'a' -> addr = value;
        case 'f' -> family = value.toLowerCase(Locale.ROOT);
        case 'p' -> port = value;
        case 'm' -> modifiers = value;
        default -> { }
      }
    }
    int number = portNumber(port);
    if (number < 0) {
      return Optional.empty();
    }
    return Optional.of(new DaemonOptions(Optional.ofNullable(addr), family.equals("inet6"),
        number, modifiers));
  }

  /** The smtpd_listen item for this listener. */
  String listenItem() {
    if (address.isEmpty() || address.get().equals("0.0.0.0") || address.get().equals("::")) {
      return Integer.toString(port);
    }
    return (inet6 ? "[" + address.get() + "]" : address.get()) + ":" + port;
  }

  /** Whether clients must log in (modifier a), which Postern's server cannot ask. */
  boolean requiresAuth() {
    return modifiers.indexOf('a') >= 0;
  }

  /** Whether this is an SMTPS listener (modifier s: TLS from the first byte). */
  boolean implicitTls() {
    return modifiers.indexOf('s') >= 0;
  }

  /** A port given by number or by a service name Debian's mc uses; -1 for anything else. */
  private static int portNumber(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "smtp" -> 25;
      case "submission" -> 587;
      case "smtps" -> 465;
      default -> text.matches("[0-9]{1,5}") && Integer.parseInt(text) <= 65535
          ? Integer.parseInt(text) : -1;
    };
  }
}
