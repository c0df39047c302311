package org.postern.compat.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SendmailDurationTest {
  @ParameterizedTest(name = "{0} = {1}s")
  @CsvSource({"30m,1800", "1h30m,5400", "90s,90", "1d,86400", "1w2d,777600", "15,900",
      "'',0", "0,0", "-5,-300", "1h5,3900"})
  void convertsSendmailTimeSyntax(String text, long seconds) throws UsageException {
    assertEquals(Duration.ofSeconds(seconds), SendmailDuration.parse(text, 'm'));
  }

  @Test
  void usesCallersDefaultUnit() throws UsageException {
    assertEquals(Duration.ofDays(2), SendmailDuration.parse("2", 'd'));
  }

  @Test
  void rejectsUnknownUnit() {
    assertEquals("Invalid time unit `y'",
        assertThrows(UsageException.class, () -> SendmailDuration.parse("1y", 'm')).line());
  }

  @Test
  void rejectsAValueTooLargeToCountInsteadOfCrashing() {
    assertEquals("Invalid time value `99999999999999999999m'",
        assertThrows(UsageException.class,
            () -> SendmailDuration.parse("99999999999999999999m", 'm')).line());
    assertEquals("Invalid time value `9999999999999999w'",
        assertThrows(UsageException.class,
            () -> SendmailDuration.parse("9999999999999999w", 'm')).line());
  }
}
