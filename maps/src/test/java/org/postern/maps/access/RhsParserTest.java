package org.postern.maps.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RhsParserTest {
  static Stream<Arguments> rightHandSides() {
    return Stream.of(
        Arguments.of("OK", "OK"),
        Arguments.of("ok", "OK"),
        Arguments.of(" Relay ", "RELAY"),
        Arguments.of("REJECT", "REJECT 550 5.7.1 Access denied"),
        Arguments.of("DISCARD", "DISCARD"),
        Arguments.of("skip", "SKIP"),
        Arguments.of("QUARANTINE:held for review", "QUARANTINE held for review"),
        // ERROR with an explicit DSN.
        Arguments.of("ERROR:5.7.1:550 go away", "ERROR 550 5.7.1 go away"),
        Arguments.of("ERROR:4.2.2:450 mailbox full", "ERROR 450 4.2.2 mailbox full"),
        Arguments.of("error:5.7.1:\"550 go away\"", "ERROR 550 5.7.1 go away"),
        // ERROR without a DSN: usrerr's class default (4.0.0 / 5.0.0).
        Arguments.of("ERROR:450 mailbox full", "ERROR 450 4.0.0 mailbox full"),
        Arguments.of("ERROR:550 go away", "ERROR 550 5.0.0 go away"),
        Arguments.of("ERROR:\"550 go away\"", "ERROR 550 5.0.0 go away"),
        Arguments.of("ERROR:550 5.7.1 go away", "ERROR 550 5.7.1 go away"),
        // An enhanced code in the text wins over the separate one.
        Arguments.of("ERROR:5.7.0:550 5.7.1 go away", "ERROR 550 5.7.1 go away"),
        // No reply code: sendmail's 553 5.3.0.
        Arguments.of("ERROR: Stop spamming us", "ERROR 553 5.3.0 Stop spamming us"),
        Arguments.of("ERROR:4.7.1:try later", "ERROR 451 4.7.1 try later"),
        Arguments.of("ERROR:4.2.2:550 full", "ERROR 550 5.0.0 full"),
        // Deprecated bare "### text".
        Arguments.of("550 We do not accept mail", "ERROR 550 5.0.0 We do not accept mail"),
        Arguments.of("554 5.7.1 blocked", "ERROR 554 5.7.1 blocked"),
        Arguments.of("421 go away", "ERROR 421 4.0.0 go away"),
        // Anything else is an error text.
        Arguments.of("FOO", "ERROR 553 5.3.0 FOO"),
        Arguments.of("OK please", "ERROR 553 5.3.0 OK please"),
        Arguments.of("ERROR:", "ERROR 553 5.3.0 ERROR:"),
        Arguments.of("QUARANTINE:", "ERROR 553 5.3.0 QUARANTINE:"),
        Arguments.of("250 fine", "ERROR 553 5.3.0 250 fine"),
        Arguments.of("FRIEND", "ERROR 553 5.3.0 FRIEND"));
  }

  @ParameterizedTest(name = "{0} => {1}")
  @MethodSource("rightHandSides")
  void parsesRightHandSideAsSendmailDoes(String value, String expected) {
    assertEquals(expected, RhsParser.parse(value, SmtpReply.ACCESS_DENIED).describe());
  }

  @Test
  void rejectUsesTheReplyOfTheLookupKind() {
    assertEquals(new AccessResult.Reject(SmtpReply.MAILBOX_DISABLED),
        RhsParser.parse("REJECT", SmtpReply.MAILBOX_DISABLED));
  }

  @Test
  void errorCarriesCodeDsnAndTextSeparately() {
    AccessResult r = RhsParser.parse("ERROR:4.2.2:\"450 mailbox full\"", SmtpReply.ACCESS_DENIED);
    assertEquals(new AccessResult.Error(new SmtpReply(450, "4.2.2", "mailbox full")), r);
  }

  @Test
  void backslashKeepsAQuoteInTheText() {
    assertEquals("550 say \"hi\"", SmtpReply.stripQuotes("\"550 say \\\"hi\\\"\""));
    assertEquals(new SmtpReply(550, "5.0.0", "say \"hi\""),
        SmtpReply.fromErrorText("\"550 say \\\"hi\\\"\"", Optional.empty()));
  }

  @Test
  void replyRefusesMismatchedClass() {
    assertThrows(IllegalArgumentException.class, () -> new SmtpReply(550, "4.0.0", "x"));
    assertThrows(IllegalArgumentException.class, () -> new SmtpReply(250, "2.0.0", "x"));
  }
}
