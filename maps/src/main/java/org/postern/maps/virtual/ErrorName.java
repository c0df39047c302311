package org.postern.maps.virtual;

import java.util.Locale;
import org.postern.maps.access.SmtpReply;

/**
 * The sysexits names sendmail accepts in {@code error:NAME text} (parseaddr.c ErrorCodes),
 * each with the reply sendmail's sysexits.c SysExMsg table gives that exit status.
 *
 * <p>The reply is used whole when the entry's text has no reply code of its own, and its
 * enhanced code when the text has a reply code but no enhanced code. (sendmail itself sends
 * {@code 553 5.3.0 text} at SMTP time for {@code error:nouser text} and uses the exit status
 * only for the bounce; we give the reply its exit status stands for.) Immutable.
 */
enum ErrorName {
  USAGE(64, new SmtpReply(500, "5.0.0", "Bad usage")),
  NOUSER(67, new SmtpReply(550, "5.1.1", "User unknown")),
  NOHOST(68, new SmtpReply(550, "5.1.2", "Host unknown")),
  UNAVAILABLE(69, new SmtpReply(554, "5.0.0", "Service unavailable")),
  SOFTWARE(70, new SmtpReply(554, "5.3.0", "Internal error")),
  TEMPFAIL(75, new SmtpReply(450, "4.0.0", "Deferred")),
  PROTOCOL(76, new SmtpReply(554, "5.5.0", "Remote protocol error")),
  CONFIG(78, new SmtpReply(554, "5.3.5", "Local configuration error"));

  private final int exitStatus;
  private final SmtpReply reply;

  ErrorName(int exitStatus, SmtpReply reply) {
    this.exitStatus = exitStatus;
    this.reply = reply;
  }

  SmtpReply reply() {
    return reply;
  }

  /**
   * The entry for a name ({@code nouser}, any case) or a sysexits number ({@code 67}). An
   * unknown name is {@link #UNAVAILABLE}, as sendmail's table ends with EX_UNAVAILABLE.
   */
  static ErrorName of(String name) {
    for (ErrorName e : values()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
          || Integer.toString(e.exitStatus).equals(name)) {
        return e;
      }
    }
    return UNAVAILABLE;
  }
}
