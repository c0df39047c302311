package org.postern.compat.sendmail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.compat.mailq.QueueFilter;

class QueueFilterTest {
  private static QueueFilter filter(String... qflags) throws UsageException {
    QueueRun.Builder builder = new QueueRun.Builder();
    for (String flag : qflags) {
      builder.add(flag);
    }
    return builder.build().filter();
  }

  private static boolean matches(QueueFilter f, String id, String sender, List<String> rcpts) {
    return f.matches(id, sender, rcpts, Optional.empty());
  }

  @Test
  void emptyFilterMatchesEverything() {
    assertTrue(QueueFilter.NONE.matches("x", "", List.of(), Optional.empty()));
  }

  @Test
  void matchesRecipientSubstringOnAnyRecipient() throws UsageException {
    QueueFilter f = filter("Rexample.com");
    assertTrue(matches(f, "id", "root", List.of("a@other.org", "b@example.com")));
    assertFalse(matches(f, "id", "root", List.of("a@other.org")));
  }

  @Test
  void failsRecipientCriterionWhenThereAreNoRecipients() throws UsageException {
    assertFalse(matches(filter("!Rexample"), "id", "root", List.of()));
  }

  @Test
  void matchesSenderAndRecipientIgnoringCase() throws UsageException {
    assertTrue(matches(filter("SROOT"), "id", "Root@Host", List.of("x")));
    assertTrue(matches(filter("RExample"), "id", "s", List.of("bob@EXAMPLE.com")));
  }

  @Test
  void matchesQueueIdCaseSensitively() throws UsageException {
    assertTrue(matches(filter("I6AP2"), "6AP2pPf6003058", "s", List.of("r")));
    assertFalse(matches(filter("I6ap2"), "6AP2pPf6003058", "s", List.of("r")));
  }

  @Test
  void negatedCriterionSelectsNonMatches() throws UsageException {
    QueueFilter f = filter("!Sroot");
    assertFalse(matches(f, "id", "root@host", List.of("r")));
    assertTrue(matches(f, "id", "alice@host", List.of("r")));
  }

  @Test
  void orsCriteriaOfTheSameKind() throws UsageException {
    QueueFilter f = filter("Ralice", "Rbob");
    assertTrue(matches(f, "id", "s", List.of("bob@x")));
    assertTrue(matches(f, "id", "s", List.of("alice@x")));
    assertFalse(matches(f, "id", "s", List.of("carol@x")));
  }

  @Test
  void andsCriteriaOfDifferentKinds() throws UsageException {
    QueueFilter f = filter("Rexample", "!Sroot");
    assertTrue(matches(f, "id", "alice", List.of("x@example")));
    assertFalse(matches(f, "id", "root", List.of("x@example")));
    assertFalse(matches(f, "id", "alice", List.of("x@other")));
  }

  @Test
  void matchesQuarantineReasonOnlyOnQuarantinedItems() throws UsageException {
    QueueFilter f = filter("Qspam");
    assertTrue(f.matches("id", "s", List.of("r"), Optional.of("looks like spam")));
    assertFalse(f.matches("id", "s", List.of("r"), Optional.of("virus")));
    assertFalse(f.matches("id", "s", List.of("r"), Optional.empty()));
  }
}
