package org.postern.engine.smtp;

import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * The time limits of the SMTP client, in milliseconds, one per protocol stage, as Postfix's
 * {@code smtp_*_timeout} parameters set them. Each limit applies to every single read or
 * write of its stage, not to the stage as a whole. Immutable.
 */
public record Timeouts(
    long connect,
    long helo,
    long starttls,
    long mail,
    long rcpt,
    long dataInit,
    long dataXfer,
    long dataDone,
    long rset,
    long quit) {

  /** The configured limits. */
  public static Timeouts from(Config config) throws ConfigException {
    return new Timeouts(
        config.millis(Params.SMTP_CONNECT_TIMEOUT),
        config.millis(Params.SMTP_HELO_TIMEOUT),
        config.millis(Params.SMTP_STARTTLS_TIMEOUT),
        config.millis(Params.SMTP_MAIL_TIMEOUT),
        config.millis(Params.SMTP_RCPT_TIMEOUT),
        config.millis(Params.SMTP_DATA_INIT_TIMEOUT),
        config.millis(Params.SMTP_DATA_XFER_TIMEOUT),
        config.millis(Params.SMTP_DATA_DONE_TIMEOUT),
        config.millis(Params.SMTP_RSET_TIMEOUT),
        config.millis(Params.SMTP_QUIT_TIMEOUT));
  }

  /** The same limit for every stage (tests). */
  public static Timeouts all(long millis) {
    return new Timeouts(
        millis, millis, millis, millis, millis, millis, millis, millis, millis, millis);
  }

  /** The limit for one read or write in that stage. */
  long of(Stage stage) {
    return switch (stage) {
      case GREETING, EHLO, HELO, LHLO, AUTH -> helo;
      case STARTTLS -> starttls;
      case MAIL -> mail;
      case RCPT -> rcpt;
      case DATA -> dataInit;
      case BODY -> dataXfer;
      case DOT -> dataDone;
      case RSET -> rset;
      case QUIT -> quit;
    };
  }
}
