package org.postern.engine.local.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class FromLineTest {
  private static final ZonedDateTime NOV_25 =
      ZonedDateTime.of(2026, 11, 25, 2, 51, 14, 0, ZoneId.of("UTC"));

  @Test
  void writesPostfixEnvelopeLineWithTwoSpaces() {
    assertEquals(
        "From alice@example.org  Wed Nov 25 02:51:14 2026",
        FromLine.format(FromStyle.POSTFIX, "alice@example.org", NOV_25));
  }

  @Test
  void writesSendmailEnvelopeLineWithOneSpace() {
    assertEquals(
        "From root Wed Nov 25 02:51:14 2026", FromLine.format(FromStyle.SENDMAIL, "root", NOV_25));
  }

  @Test
  void padsDayOfMonthWithASpaceAsAsctimeDoes() {
    ZonedDateTime nov5 = ZonedDateTime.of(2026, 11, 5, 9, 3, 7, 0, ZoneId.of("UTC"));

    assertEquals(
        "From a@b  Thu Nov  5 09:03:07 2026", FromLine.format(FromStyle.POSTFIX, "a@b", nov5));
  }

  @Test
  void usesTheZoneItIsGiven() {
    ZonedDateTime berlin = NOV_25.withZoneSameInstant(ZoneId.of("Europe/Berlin"));

    assertEquals(
        "From a@b  Wed Nov 25 03:51:14 2026", FromLine.format(FromStyle.POSTFIX, "a@b", berlin));
  }

  @Test
  void writesNullSenderAsMailerDaemon() {
    assertEquals(
        "From MAILER-DAEMON  Wed Nov 25 02:51:14 2026",
        FromLine.format(FromStyle.POSTFIX, "", NOV_25));
  }

  @Test
  void quotesLocalPartThatIsNotADotAtom() {
    assertEquals("\"john smith\"@example.org", FromLine.quoteLocalPart("john smith@example.org"));
    assertEquals("\"a\\\"b\"@x", FromLine.quoteLocalPart("a\"b@x"));
    assertEquals("\".lead\"@x", FromLine.quoteLocalPart(".lead@x"));
    assertEquals("first.last+tag@x", FromLine.quoteLocalPart("first.last+tag@x"));
    assertEquals("root", FromLine.quoteLocalPart("root"));
  }
}
