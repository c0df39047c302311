package org.postern.engine.cleanup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderRecipientsTest {

  private static AddressList extract(String message) {
    return HeaderRecipients.extract(HeaderSection.parse(message.getBytes(UTF_8)));
  }

  @Test
  void takesToCcAndBccFromEveryHeaderInOrder() {
    AddressList list =
        extract("To: a@x\nSubject: s\nCc: b@x,\n c@x\nBcc: d@x\nTo: e@x\nX-To: no@x\n\nTo: f@x\n");
    assertEquals(List.of("a@x", "b@x", "c@x", "d@x", "e@x"), list.addresses());
  }

  @Test
  void usesOnlyResentHeadersWhenAnyResentHeaderIsPresent() {
    AddressList list =
        extract("To: daemon\nResent-From: me\nResent-To: bin\nresent-bcc: x@y\n\nbody\n");
    assertEquals(List.of("bin", "x@y"), list.addresses());
  }

  @Test
  void findsNoRecipientsInAnUndisclosedGroup() {
    AddressList list = extract("To: undisclosed-recipients:;\n\n");
    assertEquals(List.of(), list.addresses());
    assertEquals(List.of(), list.problems());
  }

  @Test
  void reportsProblemsFromEveryHeader() {
    AddressList list = extract("To: a@@x\nCc: <b@x\n\n");
    assertEquals(List.of(), list.addresses());
    assertEquals(
        List.of("a@@x... Invalid route address", "<b@x... Unbalanced '<'"), list.problems());
  }
}
