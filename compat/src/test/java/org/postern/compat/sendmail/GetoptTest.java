package org.postern.compat.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GetoptTest {
  private static final String OPTS = "f:tiq:";

  /** Renders every option as "letter" or "letter=value", then "|" and the operands. */
  private static String scan(String... args) throws UsageException {
    Getopt getopt = new Getopt(OPTS, List.of(args));
    List<String> seen = new ArrayList<>();
    for (Optional<Getopt.Option> o = getopt.next(); o.isPresent(); o = getopt.next()) {
      seen.add(o.get().letter() + o.get().value().map(v -> "=" + v).orElse(""));
    }
    return String.join(" ", seen) + " | " + String.join(" ", getopt.operands());
  }

  @Test
  void splitsGroupedFlags() throws UsageException {
    assertEquals("t i | bob", scan("-ti", "bob"));
  }

  @Test
  void takesAttachedAndSeparateValues() throws UsageException {
    assertEquals("f=user f=other | ", scan("-fuser", "-f", "other"));
  }

  @Test
  void takesValueFromRestOfGroup() throws UsageException {
    assertEquals("t i f=x | a", scan("-tif", "x", "a"));
    assertEquals("t f=ix | a", scan("-tfix", "a"));
  }

  @Test
  void takesNextArgumentAsValueEvenIfItLooksLikeAnOption() throws UsageException {
    assertEquals("f=-t | a", scan("-f", "-t", "a"));
  }

  @Test
  void takesEmptyStringAsSeparateValue() throws UsageException {
    assertEquals("f= | a", scan("-f", "", "a"));
  }

  @Test
  void stopsAtFirstNonOption() throws UsageException {
    assertEquals(" | bob -i", scan("bob", "-i"));
    assertEquals("t | bob -i", scan("-t", "bob", "-i"));
  }

  @Test
  void consumesDoubleDashAndStops() throws UsageException {
    assertEquals("i | -t a", scan("-i", "--", "-t", "a"));
  }

  @Test
  void treatsLoneDashAsOperand() throws UsageException {
    assertEquals("i | - -t", scan("-i", "-", "-t"));
  }

  @Test
  void rejectsUnknownOptionWithBsdMessage() {
    UsageException e = assertThrows(UsageException.class, () -> scan("-tZ"));
    assertEquals("illegal option -- Z", e.line());
    assertEquals(64, e.sysexit().code());
  }

  @Test
  void rejectsColonAsOptionLetter() {
    assertEquals("illegal option -- :",
        assertThrows(UsageException.class, () -> scan("-:")).line());
  }

  @Test
  void rejectsDigitThatCommonsCliWouldTakeAsOperand() {
    assertEquals("illegal option -- 1",
        assertThrows(UsageException.class, () -> scan("-1", "bob")).line());
  }

  @Test
  void rejectsMissingValue() {
    assertEquals("option requires an argument -- f",
        assertThrows(UsageException.class, () -> scan("-t", "-f")).line());
  }

  @Test
  void continuesAfterAnErrorWhenTheCallerChoosesTo() throws UsageException {
    Getopt getopt = new Getopt(OPTS, List.of("-Zt", "-i", "x"));
    assertThrows(UsageException.class, getopt::next);
    assertEquals('t', getopt.next().orElseThrow().letter());
    assertEquals('i', getopt.next().orElseThrow().letter());
    assertEquals(Optional.empty(), getopt.next());
    assertEquals(List.of("x"), getopt.operands());
  }

  @Test
  void endsWithNoOperandsWhenAllArgumentsAreOptions() throws UsageException {
    assertEquals("t i | ", scan("-t", "-i"));
  }
}
