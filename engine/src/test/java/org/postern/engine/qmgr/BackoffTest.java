package org.postern.engine.qmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;

class BackoffTest {
  private static final long S = 1000;
  private static final long NOW = 1_800_000_000_000L;

  /** Postfix's defaults: 300s..4000s, 5 days, bounces 5 days, warn after 4 hours. */
  private static final Backoff DEFAULTS =
      new Backoff(300 * S, 4000 * S, 5 * 86400 * S, 5 * 86400 * S, 4 * 3600 * S);

  @Test
  void doublesTheDelayPerAttemptUpToTheMaximum() {
    assertEquals(NOW + 300 * S, DEFAULTS.nextAttempt(NOW, 1));
    assertEquals(NOW + 600 * S, DEFAULTS.nextAttempt(NOW, 2));
    assertEquals(NOW + 1200 * S, DEFAULTS.nextAttempt(NOW, 3));
    assertEquals(NOW + 2400 * S, DEFAULTS.nextAttempt(NOW, 4));
    assertEquals(NOW + 4000 * S, DEFAULTS.nextAttempt(NOW, 5), "4800s capped at 4000s");
    assertEquals(NOW + 4000 * S, DEFAULTS.nextAttempt(NOW, 6));
    assertEquals(NOW + 4000 * S, DEFAULTS.nextAttempt(NOW, 1000), "no overflow");
    assertEquals(NOW + 4000 * S, DEFAULTS.nextAttempt(NOW, Integer.MAX_VALUE));
  }

  @Test
  void neverWaitsLessThanTheMinimum() {
    assertEquals(NOW + 300 * S, DEFAULTS.nextAttempt(NOW, 0));
    Backoff inverted = new Backoff(500 * S, 100 * S, 1, 1, 0);
    assertEquals(NOW + 500 * S, inverted.nextAttempt(NOW, 3));
  }

  @Test
  void expiresAtTheQueueLifetime() {
    long arrival = NOW - 5 * 86400 * S;

    assertTrue(DEFAULTS.expired(NOW, arrival, false));
    assertFalse(DEFAULTS.expired(NOW - 1, arrival, false));
  }

  @Test
  void bouncesUseTheBounceLifetime() {
    Backoff b = new Backoff(300 * S, 4000 * S, 5 * 86400 * S, 86400 * S, 0);
    long arrival = NOW - 2 * 86400 * S;

    assertTrue(b.expired(NOW, arrival, true), "null sender: 1 day");
    assertFalse(b.expired(NOW, arrival, false), "ordinary sender: 5 days");
  }

  @Test
  void warnsAboutDelayAfterTheWarningTime() {
    long arrival = NOW - 4 * 3600 * S;

    assertTrue(DEFAULTS.delayWarningDue(NOW, arrival));
    assertFalse(DEFAULTS.delayWarningDue(NOW - 1, arrival));
  }

  @Test
  void aZeroWarningTimeDisablesDelayWarnings() {
    Backoff b = new Backoff(1, 2, 3, 4, 0);

    assertFalse(b.delayWarningDue(NOW, 0));
  }

  @Test
  void readsItsTimesFromMainCf(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("main.cf"),
        "minimal_backoff_time = 1m\nmaximal_backoff_time = 1h\nmaximal_queue_lifetime = 2d\n"
            + "bounce_queue_lifetime = 1d\ndelay_warning_time = 0\n");

    Backoff b = Backoff.from(Config.load(dir));

    assertEquals(new Backoff(60 * S, 3600 * S, 2 * 86400 * S, 86400 * S, 0), b);
  }

  @Test
  void usesPostfixDefaults(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("main.cf"), "");

    assertEquals(DEFAULTS, Backoff.from(Config.load(dir)));
  }
}
