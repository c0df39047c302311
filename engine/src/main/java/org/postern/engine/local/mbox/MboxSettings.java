package org.postern.engine.local.mbox;

import java.time.Duration;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.Params;

/**
 * The main.cf parameters of mbox delivery: lock retries (deliver_lock_attempts,
 * deliver_lock_delay), stale_lock_time, mailbox_size_limit, strict_mailbox_ownership, plus
 * the From_ line style.
 *
 * <p>Checks its values on construction (IllegalArgumentException) and, in {@link #from},
 * reports a bad main.cf value as a ConfigException naming the key. Immutable and thread-safe.
 *
 * @param lockAttempts how many lock delays to wait at most; the total wait is
 *     {@code lockAttempts * lockDelay}
 * @param sizeLimit the largest size a mailbox may grow to, in bytes; 0 means no limit
 */
public record MboxSettings(
    int lockAttempts,
    Duration lockDelay,
    Duration staleLockTime,
    long sizeLimit,
    boolean strictOwnership,
    FromStyle fromStyle) {

  public MboxSettings {
    if (lockAttempts < 1) {
      throw new IllegalArgumentException("lock attempts must be positive: " + lockAttempts);
    }
    if (lockDelay.isNegative() || staleLockTime.isNegative()) {
      throw new IllegalArgumentException("negative lock delay or stale lock time");
    }
    if (sizeLimit < 0) {
      throw new IllegalArgumentException("negative mailbox size limit: " + sizeLimit);
    }
    if (fromStyle == null) {
      throw new IllegalArgumentException("no From_ line style");
    }
  }

  /** Postfix's defaults, with Debian's unlimited mailbox size. */
  public static MboxSettings defaults() {
    return new MboxSettings(
        20, Duration.ofSeconds(1), Duration.ofSeconds(500), 0, true, FromStyle.POSTFIX);
  }

  /** Reads the parameters from main.cf; the style is always {@link FromStyle#POSTFIX}. */
  public static MboxSettings from(Config config) throws ConfigException {
    long attempts = config.number(Params.DELIVER_LOCK_ATTEMPTS);
    long delay = config.millis(Params.DELIVER_LOCK_DELAY);
    long stale = config.millis(Params.STALE_LOCK_TIME);
    long limit = config.number(Params.MAILBOX_SIZE_LIMIT);
    boolean strict = config.bool(Params.STRICT_MAILBOX_OWNERSHIP);
    requireRange(config, Params.DELIVER_LOCK_ATTEMPTS, attempts, 1, Integer.MAX_VALUE);
    requireRange(config, Params.DELIVER_LOCK_DELAY, delay, 0, Long.MAX_VALUE);
    requireRange(config, Params.STALE_LOCK_TIME, stale, 0, Long.MAX_VALUE);
    requireRange(config, Params.MAILBOX_SIZE_LIMIT, limit, 0, Long.MAX_VALUE);
    return new MboxSettings(
        (int) attempts,
        Duration.ofMillis(delay),
        Duration.ofMillis(stale),
        limit,
        strict,
        FromStyle.POSTFIX);
  }

  /** The same settings with another From_ line style (SENDMAIL for ~/dead.letter). */
  public MboxSettings withFromStyle(FromStyle style) {
    return new MboxSettings(
        lockAttempts, lockDelay, staleLockTime, sizeLimit, strictOwnership, style);
  }

  /** The longest time a delivery waits for its mailbox locks. */
  Duration lockWait() {
    return lockDelay.multipliedBy(lockAttempts);
  }

  private static void requireRange(Config config, ConfigKey key, long value, long min, long max)
      throws ConfigException {
    if (value < min || value > max) {
      throw config.invalid(key, "at least " + min);
    }
  }
}
