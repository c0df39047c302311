package org.postern.engine.qmgr;

import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * Retry timing: exponential backoff between minimal_backoff_time and maximal_backoff_time
 * (doubling per attempt, as Postfix's qmgr), and the queue lifetimes after which a message
 * (or a bounce, which has the null sender) is returned as undeliverable.
 *
 * <p>Trusts validated configuration values. Immutable.
 */
public record Backoff(
    long minimalMillis, long maximalMillis, long queueLifetimeMillis, long bounceLifetimeMillis,
    long delayWarningMillis) {

  public static Backoff from(Config config) throws ConfigException {
    return new Backoff(
        config.millis(Params.MINIMAL_BACKOFF_TIME),
        config.millis(Params.MAXIMAL_BACKOFF_TIME),
        config.millis(Params.MAXIMAL_QUEUE_LIFETIME),
        config.millis(Params.BOUNCE_QUEUE_LIFETIME),
        config.millis(Params.DELAY_WARNING_TIME));
  }

  /** When to try again after {@code attempts} failed attempts (1 = first failure). */
  public long nextAttempt(long now, int attempts) {
    long delay = minimalMillis;
    for (int i = 1; i < attempts && delay < maximalMillis; i++) {
      delay *= 2;
    }
    return now + Math.min(delay, Math.max(maximalMillis, minimalMillis));
  }

  /** Whether a message that arrived at {@code arrival} has been queued too long. */
  public boolean expired(long now, long arrival, boolean nullSender) {
    return now - arrival >= (nullSender ? bounceLifetimeMillis : queueLifetimeMillis);
  }

  /** Whether a delay warning is due (0 disables them). */
  public boolean delayWarningDue(long now, long arrival) {
    return delayWarningMillis > 0 && now - arrival >= delayWarningMillis;
  }
}
