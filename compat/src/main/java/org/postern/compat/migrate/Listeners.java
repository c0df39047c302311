package org.postern.compat.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.Params;

/**
 * sendmail's listeners as {@code smtpd_listen}: each {@code DAEMON_OPTIONS} of the .mc or
 * {@code O DaemonPortOptions=} of the .cf (Debian's default listens on 127.0.0.1 ports 25 and
 * 587 only), or without any sendmail's own default, every address on 25, plus the .mc's
 * default MSA on 587 unless FEATURE(no_default_msa). sendmail's MSA does not require
 * STARTTLS, Postern's 587 does by default, so a 587 listener keeps sendmail's level
 * ({@code 587.smtpd_tls_security_level}); one that required a login (modifier a) keeps
 * Postern's, as Postern's server has no AUTH. SMTPS listeners (modifier s) are not opened.
 *
 * <p>Trusts nothing in the options. Stateless.
 */
final class Listeners {
  /** One listener's option text and where it was set. */
  record Spec(String options, String origin) {}

  private Listeners() {}

  /**
   * {@code defaultMsa}: sendmail adds an MSA on 587 (the .mc without no_default_msa);
   * {@code serverTls}: sendmail had a certificate, so it offered STARTTLS.
   */
  static void carry(List<Spec> specs, boolean defaultMsa, String file, boolean serverTls,
      Migration.Builder out) {
    List<String> items = new ArrayList<>();
    String origin = file + " (sendmail's default listeners)";
    boolean submission = false;
    for (Spec spec : specs) {
      origin = items.isEmpty() ? spec.origin() : origin;
      Optional<DaemonOptions> d = DaemonOptions.parse(spec.options());
      if (d.isEmpty()) {
        out.notCarried(spec.origin(), "DaemonPortOptions " + spec.options(),
            "its port is not a number nor smtp, submission or smtps: not opened");
      } else if (d.get().implicitTls()) {
        out.notCarried(spec.origin(), "SMTPS listener " + d.get().listenItem(),
            "Postern's server speaks STARTTLS only: the port is not opened");
      } else {
        items.add(d.get().listenItem());
        submission |= d.get().port() == 587;
        level(d.get(), spec.origin(), serverTls, out);
      }
    }
    if (specs.isEmpty()) {
      items.add("25");
    }
    if (defaultMsa && !submission) {
      items.add("587");
      out.carry(key(), serverTls ? "may" : "none", file + " (sendmail's default MSA)");
    }
    out.carry(Params.SMTPD_LISTEN.name(), String.join(", ", items), origin);
  }

  private static void level(DaemonOptions d, String origin, boolean serverTls,
      Migration.Builder out) {
    if (d.requiresAuth()) {
      out.notCarried(origin, "M=a on " + d.listenItem(), "Postern's server has no SMTP AUTH:"
          + " clients cannot log in, and relay only from mynetworks"
          + (d.port() == 587 ? "; port 587 requires STARTTLS (Postern's default)" : ""));
    } else if (d.port() == 587) {
      out.carry(key(), serverTls ? "may" : "none", origin);
    }
  }

  private static String key() {
    return "587." + Params.SMTPD_TLS_SECURITY_LEVEL.name();
  }
}
