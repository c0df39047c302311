package org.postern.engine.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Enhanced status codes as the client believes them from a server's reply. */
class SmtpReplyTest {
  @Test
  void takesTheServersEnhancedCode() {
    assertEquals("5.1.1", new SmtpReply(550, List.of("550 5.1.1 unknown user")).dsnCode());
  }

  @Test
  void makesTheEnhancedClassAgreeWithTheReplyCode() {
    assertEquals("5.1.1", new SmtpReply(550, List.of("550 4.1.1 confused server")).dsnCode());
    assertEquals("4.2.2", new SmtpReply(452, List.of("452 5.2.2 mailbox full")).dsnCode());
  }

  @Test
  void derivesXZeroZeroWhenThereIsNoEnhancedCode() {
    assertEquals("4.0.0", new SmtpReply(421, List.of("421 go away")).dsnCode());
    assertEquals("2.0.0", new SmtpReply(250, List.of("250 ok")).dsnCode());
    assertEquals("5.0.0", new SmtpReply(554, List.of("554")).dsnCode());
    assertEquals("5.0.0", new SmtpReply(550, List.of("550 5.1.1x not a code")).dsnCode());
  }

  @Test
  void joinsTheLinesOfAMultiLineReply() {
    SmtpReply r = new SmtpReply(550, List.of("550-5.7.1 first", "550 5.7.1 second"));
    assertEquals("550-5.7.1 first 550 5.7.1 second", r.text());
  }
}
