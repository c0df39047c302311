package org.postern.maps.aliases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The member forms of aliases(5) right-hand sides, as the expander receives them. */
class AliasValueTest {
  @Test
  void splitsOnCommasAndNewlinesAndTrims() {
    assertEquals(List.of("alice", "bob", "carol@example.com"),
        AliasValue.split(" alice,bob ,\n\tcarol@example.com ,, "));
  }

  @Test
  void keepsQuotedCommandsWholeAndUnquotesThem() {
    assertEquals(List.of("|/usr/bin/vacation -a x, y bob", "alice"),
        AliasValue.split("\"|/usr/bin/vacation -a x, y bob\", alice"));
  }

  @Test
  void keepsUnquotedCommandsFilesIncludesBackslashesAndErrors() {
    assertEquals(
        List.of("|/bin/cat", "/var/log/mail.copy", ":include:/etc/mail/staff", "\\bob",
            "error:5.1.1:550 gone"),
        AliasValue.split("|/bin/cat, /var/log/mail.copy, :include:/etc/mail/staff, \\bob,"
            + " error:5.1.1:550 gone"));
  }

  @Test
  void takesTheRouteAddressAndDropsComments() {
    assertEquals(List.of("bob@example.com", "carol"),
        AliasValue.split("Bob Smith <bob@example.com>, carol (Carol, the admin)"));
  }

  @Test
  void aQuotedLocalPartKeepsItsQuotes() {
    assertEquals(List.of("\"john smith\"@example.com", "\"john, jr\""),
        AliasValue.split("\"john smith\"@example.com, \"john, jr\""));
  }

  @Test
  void anErrorMemberKeepsTheCommasOfItsText() {
    assertEquals(List.of("alice", "error:5.1.1:550 Gone, left in May"),
        AliasValue.split("alice, error:5.1.1:550 Gone, left in May"));
  }

  @Test
  void emptyTextHasNoMembers() {
    assertEquals(List.of(), AliasValue.split("  , ,\n"));
  }
}
