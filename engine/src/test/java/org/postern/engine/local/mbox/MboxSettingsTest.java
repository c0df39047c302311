package org.postern.engine.local.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;

class MboxSettingsTest {
  @TempDir Path dir;

  private Config config(String mainCf) throws Exception {
    Files.writeString(dir.resolve("main.cf"), mainCf);
    return Config.load(dir);
  }

  @Test
  void defaultsArePostfixDefaults() throws Exception {
    MboxSettings s = MboxSettings.from(config(""));

    assertEquals(20, s.lockAttempts());
    assertEquals(Duration.ofSeconds(1), s.lockDelay());
    assertEquals(Duration.ofSeconds(500), s.staleLockTime());
    assertEquals(0, s.sizeLimit());
    assertTrue(s.strictOwnership());
    assertEquals(FromStyle.POSTFIX, s.fromStyle());
    assertEquals(s, MboxSettings.defaults());
  }

  @Test
  void readsEveryParameterFromMainCf() throws Exception {
    MboxSettings s =
        MboxSettings.from(
            config(
                "deliver_lock_attempts = 3\n"
                    + "deliver_lock_delay = 2s\n"
                    + "stale_lock_time = 5m\n"
                    + "mailbox_size_limit = 51200000\n"
                    + "strict_mailbox_ownership = no\n"));

    assertEquals(
        new MboxSettings(
            3,
            Duration.ofSeconds(2),
            Duration.ofMinutes(5),
            51_200_000,
            false,
            FromStyle.POSTFIX),
        s);
  }

  @Test
  void rejectsZeroLockAttemptsNamingTheKey() throws Exception {
    Config config = config("deliver_lock_attempts = 0\n");

    ConfigException e = assertThrows(ConfigException.class, () -> MboxSettings.from(config));

    assertTrue(e.getMessage().contains("deliver_lock_attempts"), e.getMessage());
  }

  @Test
  void rejectsNonNumericSizeLimit() throws Exception {
    Config config = config("mailbox_size_limit = lots\n");

    assertThrows(ConfigException.class, () -> MboxSettings.from(config));
  }

  @Test
  void switchesToSendmailStyleForDeadLetter() {
    MboxSettings s = MboxSettings.defaults().withFromStyle(FromStyle.SENDMAIL);

    assertEquals(FromStyle.SENDMAIL, s.fromStyle());
    assertEquals(MboxSettings.defaults().lockAttempts(), s.lockAttempts());
  }
}
