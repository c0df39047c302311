package org.postern.engine.route;

import java.nio.file.Path;
import java.util.Locale;
import org.postern.engine.global.ConfigException;

/**
 * Where Postfix's lmtp(8) delivers, as {@code mailbox_transport} and {@code virtual_transport}
 * name it: {@code lmtp:unix:PATH} (a UNIX-domain socket; a relative path is relative to the
 * queue directory, as Postfix's {@code private/dovecot-lmtp} is), or {@code lmtp:inet:HOST},
 * {@code lmtp:HOST}, with {@code [HOST]} and {@code :PORT} allowed. LMTP never looks up MX
 * records (Postfix smtp_connect.c: "With LMTP we have direct-to-host delivery only"); the
 * default port is 24.
 *
 * <p>Parsed from configuration; a value it cannot use is a ConfigException naming it.
 * Immutable.
 */
public sealed interface LmtpHop {
  int LMTP_PORT = 24;

  /** A UNIX-domain socket at {@code path}, written {@code written} in main.cf. */
  record Unix(Path path, String written) implements LmtpHop {
    @Override
    public String toString() {
      return "unix:" + written;
    }
  }

  /** A host (address records only) and port. */
  record Inet(NextHop hop) implements LmtpHop {
    @Override
    public String toString() {
      return "inet:" + hop;
    }
  }

  /**
   * The hop of a transport value {@code lmtp:DESTINATION} of {@code parameter};
   * {@code queueDirectory} anchors a relative socket path.
   */
  static LmtpHop parse(String parameter, String value, Path queueDirectory)
      throws ConfigException {
    String v = value.strip();
    if (!v.toLowerCase(Locale.ROOT).startsWith("lmtp:")) {
      throw new ConfigException("bad " + parameter + " value \"" + value
          + "\": expected lmtp:unix:PATH, lmtp:inet:HOST[:PORT] or lmtp:[HOST]:PORT"
          + " (the only transport Postern delivers to here)");
    }
    String dest = v.substring(5);
    if (dest.startsWith("unix:")) {
      String written = dest.substring(5);
      if (written.isEmpty() || written.indexOf('\0') >= 0) {
        throw new ConfigException("bad " + parameter + " value \"" + value
            + "\": empty socket path");
      }
      return new Unix(queueDirectory.resolve(written).normalize(), written);
    }
    if (dest.startsWith("inet:")) {
      dest = dest.substring(5);
    }
    try {
      NextHop hop = NextHop.parse(dest, LMTP_PORT);
      return new Inet(new NextHop(hop.host(), hop.port(), false));
    } catch (ConfigException e) {
      throw new ConfigException("bad " + parameter + " value \"" + value + "\": "
          + e.getMessage());
    }
  }
}
