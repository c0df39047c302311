package org.postern.compat.migrate;

import java.util.Locale;
import org.postern.engine.global.Params;

/**
 * sendmail's PrivacyOptions ({@code define(`confPRIVACY_FLAGS', ...)}, {@code O
 * PrivacyOptions=}) carried into a migration, flag by flag (sendmail's op.me "PrivacyOptions").
 *
 * <p>Already Postern's behaviour, so nothing to write: VRFY answers 252 without looking
 * anything up (novrfy, needvrfyhelo), there is no EXPN, VERB or ETRN queueing (noexpn,
 * needexpnhelo, noverb, noetrn), untrusted {@code -f} gets an X-Authentication-Warning
 * (authwarnings), only root and the mail owner run the queue (restrictqrun), and public is
 * the absence of flags. needmailhelo and restrictmailq have parameters; the rest are reported
 * as not carried over. Trusts nothing in the text; stateless.
 */
final class PrivacyFlags {
  private PrivacyFlags() {}

  static void carry(String flags, String origin, Migration.Builder out) {
    for (String raw : flags.split("[,\\s]+")) {
      String flag = raw.toLowerCase(Locale.ROOT);
      switch (flag) {
        case "", "public", "novrfy", "needvrfyhelo", "noexpn", "needexpnhelo", "noverb",
            "noetrn", "authwarnings", "restrictqrun" -> { }
        case "goaway" -> {
          out.carry(Params.SMTPD_HELO_REQUIRED.name(), "yes", origin);
          notCarried("noreceipts", origin, out);
          notCarried("nobodyreturn", origin, out);
        }
        case "needmailhelo" -> out.carry(Params.SMTPD_HELO_REQUIRED.name(), "yes", origin);
        // sendmail lets only the queue directory's group list it; Postern has no such group.
        case "restrictmailq" -> out.carry(Params.AUTHORIZED_MAILQ_USERS.name(), "static:root",
            origin);
        default -> notCarried(flag, origin, out);
      }
    }
  }

  private static void notCarried(String flag, String origin, Migration.Builder out) {
    String consequence = switch (flag) {
      case "noreceipts" -> "success notices (NOTIFY=SUCCESS, return receipts) are sent";
      case "nobodyreturn" -> "bounces return the message (up to bounce_size_limit bytes)";
      case "restrictexpand" ->
          "any local user may see alias and .forward expansions with sendmail -bv";
      default -> "no Postern equivalent";
    };
    out.notCarried(origin, "PrivacyOptions " + flag, consequence);
  }
}
