package org.postern.engine.smtpd;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * smtpd_tls_protocols in Postfix's syntax: protocol names to allow, {@code !name} to exclude,
 * and the bounds {@code >=name} and {@code <=name} (Postfix 3.6), separated by commas, colons
 * or spaces; the default {@code >=TLSv1.2} allows TLS 1.2 and 1.3 only (RFC 8996 deprecates
 * 1.0 and 1.1). The result keeps only what the JDK supports.
 *
 * <p>Trusts main.cf; an unknown name or an empty result is a ConfigException naming the key.
 * Stateless.
 */
final class TlsProtocols {
  /** Every protocol name Postfix knows, oldest first. */
  private static final List<String> KNOWN =
      List.of("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private TlsProtocols() {}

  /** The protocols to enable, oldest first. */
  static String[] parse(Config config, Set<String> supported) throws ConfigException {
    Set<String> include = new LinkedHashSet<>();
    Set<String> exclude = new LinkedHashSet<>();
    int low = 0;
    int high = KNOWN.size() - 1;
    for (String item : config.get(Params.SMTPD_TLS_PROTOCOLS).split("[,:\\s]+")) {
      if (item.isEmpty()) {
        continue;
      }
      if (item.startsWith(">=")) {
        low = index(config, item.substring(2));
      } else if (item.startsWith("<=")) {
        high = index(config, item.substring(2));
      } else if (item.startsWith("!")) {
        exclude.add(KNOWN.get(index(config, item.substring(1))));
      } else {
        include.add(KNOWN.get(index(config, item)));
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = low; i <= high; i++) {
      String p = KNOWN.get(i);
      if ((include.isEmpty() || include.contains(p)) && !exclude.contains(p)
          && supported.contains(p)) {
        out.add(p);
      }
    }
    if (out.isEmpty()) {
      throw config.invalid(Params.SMTPD_TLS_PROTOCOLS,
          "at least one protocol this Java supports (of " + String.join(", ", supported) + ")");
    }
    return out.toArray(String[]::new);
  }

  private static int index(Config config, String name) throws ConfigException {
    int i = KNOWN.indexOf(name);
    if (i < 0) {
      throw config.invalid(Params.SMTPD_TLS_PROTOCOLS,
          "protocol names of " + String.join(", ", KNOWN) + ", with !, >= or <=");
    }
    return i;
  }
}
