package org.postern.engine.smtpd;

import java.time.Duration;
import java.util.Locale;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * The main.cf values one SMTP session obeys (Postfix's names and defaults, see {@link Params}):
 * greeting, size, line, header and recipient limits, timeouts, error limits, the bare
 * newline and pipelining rules, and whether HELO/EHLO must come before MAIL.
 *
 * <p>Read once per listener (or {@code sendmail -bs} run); a bad value is a ConfigException
 * naming the key. Immutable.
 */
public record SessionSettings(
    String myhostname,
    String banner,
    long messageSizeLimit,
    int recipientLimit,
    int lineLengthLimit,
    int headerSizeLimit,
    int hopcountLimit,
    Duration timeout,
    int softErrorLimit,
    int hardErrorLimit,
    Duration errorSleep,
    boolean forbidUnauthPipelining,
    BareNewline bareNewline,
    boolean heloRequired,
    NetworkList protocolExemptions) {

  /** smtpd_forbid_bare_newline. */
  public enum BareNewline {
    /** Any LF ends a line, and LF.LF ends DATA (Postfix before 3.9; smuggling-prone). */
    ALLOW,
    /** A bare LF ends a line, but only CRLF.CRLF ends DATA (the default). */
    NORMALIZE,
    /** A message with a bare LF is refused with 550. */
    REJECT
  }

  public static SessionSettings from(Config config) throws ConfigException {
    return new SessionSettings(
        config.get(Params.MYHOSTNAME),
        config.get(Params.SMTPD_BANNER),
        config.number(Params.MESSAGE_SIZE_LIMIT),
        intValue(config, Params.SMTPD_RECIPIENT_LIMIT),
        Math.max(80, intValue(config, Params.LINE_LENGTH_LIMIT)),
        intValue(config, Params.HEADER_SIZE_LIMIT),
        intValue(config, Params.HOPCOUNT_LIMIT),
        Duration.ofMillis(config.millis(Params.SMTPD_TIMEOUT)),
        intValue(config, Params.SMTPD_SOFT_ERROR_LIMIT),
        intValue(config, Params.SMTPD_HARD_ERROR_LIMIT),
        Duration.ofMillis(config.millis(Params.SMTPD_ERROR_SLEEP_TIME)),
        config.bool(Params.SMTPD_FORBID_UNAUTH_PIPELINING),
        bareNewline(config),
        config.bool(Params.SMTPD_HELO_REQUIRED),
        NetworkList.from(config, Params.SMTPD_FORBID_BARE_NEWLINE_EXCLUSIONS));
  }

  /** The byte limit of one message; message_size_limit 0 means none (as in Postfix). */
  public long sizeLimit() {
    return messageSizeLimit <= 0 ? Integer.MAX_VALUE - 1024 : messageSizeLimit;
  }

  private static int intValue(Config config, org.postern.engine.global.ConfigKey key)
      throws ConfigException {
    long n = config.number(key);
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new ConfigException("bad " + key.name() + " value " + n + ": out of range");
    }
    return (int) n;
  }

  private static BareNewline bareNewline(Config config) throws ConfigException {
    String v = config.get(Params.SMTPD_FORBID_BARE_NEWLINE).strip().toLowerCase(Locale.ROOT);
    switch (v) {
      case "no":
        return BareNewline.ALLOW;
      case "yes":
      case "normalize":
        return BareNewline.NORMALIZE;
      case "reject":
        return BareNewline.REJECT;
      default:
        throw new ConfigException(
            "bad smtpd_forbid_bare_newline value \"" + v + "\": expected normalize, reject or no");
    }
  }
}
