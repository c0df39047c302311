package org.postern.maps.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.maps.LookupException;
import org.postern.maps.MemoryTable;
import org.postern.maps.access.SmtpReply;

class VirtualUserTableTest {
  private static VirtualLookup lookup(MemoryTable table, String address) throws LookupException {
    return new VirtualUserTable(table).lookup(address);
  }

  @Test
  void triesEveryKeyFormInSendmailOrderForUserWithDetail() throws LookupException {
    MemoryTable table = MemoryTable.of();
    VirtualLookup l = lookup(table, "<Joe+Foo@Example.COM.>");
    List<String> expected = List.of("joe+foo@example.com", "joe++@example.com",
        "joe+*@example.com", "joe@example.com", "++@example.com", "+*@example.com",
        "@example.com");
    assertEquals(expected, table.asked());
    assertEquals(expected, l.keysTried());
    assertEquals(new VirtualResult.NotFound(), l.result());
    assertEquals(Optional.empty(), l.key());
  }

  @Test
  void emptyDetailSkipsThePlusPlusForms() throws LookupException {
    MemoryTable table = MemoryTable.of();
    lookup(table, "joe+@example.com");
    assertEquals(List.of("joe+@example.com", "joe+*@example.com", "joe@example.com",
        "+*@example.com", "@example.com"), table.asked());
  }

  @Test
  void userWithoutDetailTriesAddressThenCatchAll() throws LookupException {
    MemoryTable table = MemoryTable.of("joe+*@example.com", "never");
    VirtualLookup l = lookup(table, "joe@example.com");
    assertEquals(List.of("joe@example.com", "@example.com"), table.asked());
    assertEquals(new VirtualResult.NotFound(), l.result());
  }

  @Test
  void addressWithoutDomainIsNotLookedUp() throws LookupException {
    MemoryTable table = MemoryTable.of("@example.com", "x");
    assertEquals(new VirtualResult.NotFound(), lookup(table, "joe").result());
    assertEquals(List.of(), table.asked());
  }

  static Stream<Arguments> keyForms() {
    String subst = "%1|%2|%3@dest.example";
    return Stream.of(
        // The exact key passes only the whole local part as %1.
        Arguments.of("Joe+Foo@example.com", "joe+foo@example.com", subst,
            "Joe+Foo||@dest.example"),
        Arguments.of("Joe+Foo@example.com", "joe++@example.com", subst,
            "Joe|Foo|+Foo@dest.example"),
        Arguments.of("Joe+Foo@example.com", "joe+*@example.com", subst,
            "Joe|Foo|+Foo@dest.example"),
        Arguments.of("Joe+Foo@example.com", "joe@example.com", subst,
            "Joe|Foo|+Foo@dest.example"),
        Arguments.of("Joe+Foo@example.com", "++@example.com", subst,
            "Joe|Foo|+Foo@dest.example"),
        Arguments.of("Joe+Foo@example.com", "+*@example.com", subst,
            "Joe|Foo|+Foo@dest.example"),
        Arguments.of("Joe+Foo@example.com", "@example.com", subst,
            "Joe|Foo|+Foo@dest.example"),
        Arguments.of("Joe@example.com", "@example.com", subst, "Joe||@dest.example"),
        Arguments.of("joe+@example.com", "joe+*@example.com", subst, "joe||+@dest.example"),
        // Keeping the detail on a catch-all: %1%3.
        Arguments.of("joe+list@example.com", "@example.com", "%1%3@other.example",
            "joe+list@other.example"),
        Arguments.of("joe@example.com", "@example.com", "%1%3@other.example",
            "joe@other.example"),
        // %0 is the key; %% is a percent sign; %x stays; missing arguments are empty.
        Arguments.of("joe+x@example.com", "joe+*@example.com", "%0 100%% %x%9.",
            "joe+*@example.com 100% %x."),
        Arguments.of("joe@example.com", "joe@example.com", "joe.local", "joe.local"));
  }

  @ParameterizedTest(name = "{0} via {1}")
  @MethodSource("keyForms")
  void eachKeyFormMatchesWithItsSubstitution(String address, String key, String value,
      String expected) throws LookupException {
    VirtualLookup l = lookup(MemoryTable.of(key, value), address);
    assertEquals(new VirtualResult.Address(expected), l.result());
    assertEquals(Optional.of(key), l.key());
    assertEquals(Optional.of(value), l.value());
    assertEquals(key, l.keysTried().get(l.keysTried().size() - 1));
  }

  @Test
  void plusPlusMatchesOnlyNonEmptyDetailWhilePlusStarMatchesBoth() throws LookupException {
    MemoryTable table = MemoryTable.of("joe++@example.com", "plusplus",
        "joe+*@example.com", "plusstar");
    assertEquals(new VirtualResult.Address("plusplus"),
        lookup(table, "joe+x@example.com").result());
    assertEquals(new VirtualResult.Address("plusstar"),
        lookup(table, "joe+@example.com").result());
  }

  @Test
  void specificUserWinsOverCatchAll() throws LookupException {
    MemoryTable table = MemoryTable.of("joe@example.com", "joe-local",
        "@example.com", "catchall", "+*@example.com", "plus-catchall");
    assertEquals(new VirtualResult.Address("joe-local"),
        lookup(table, "joe+x@example.com").result());
    assertEquals(new VirtualResult.Address("plus-catchall"),
        lookup(table, "ann+x@example.com").result());
    assertEquals(new VirtualResult.Address("catchall"),
        lookup(table, "ann@example.com").result());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("error:5.7.0:550 Address invalid", "550 5.7.0 Address invalid"),
        Arguments.of("error:5.1.1:\"550 User unknown\"", "550 5.1.1 User unknown"),
        Arguments.of("error:nouser 550 No such user here", "550 5.1.1 No such user here"),
        Arguments.of("error:nouser User unknown", "550 5.1.1 User unknown"),
        Arguments.of("error:nouser", "550 5.1.1 User unknown"),
        Arguments.of("ERROR:NOUSER gone", "550 5.1.1 gone"),
        Arguments.of("error:nouser 550 5.1.6 moved away", "550 5.1.6 moved away"),
        Arguments.of("error:nohost", "550 5.1.2 Host unknown"),
        Arguments.of("error:tempfail 451 try later", "451 4.0.0 try later"),
        Arguments.of("error:tempfail", "450 4.0.0 Deferred"),
        Arguments.of("error:unavailable closed", "554 5.0.0 closed"),
        Arguments.of("error:config", "554 5.3.5 Local configuration error"),
        Arguments.of("error:67 gone", "550 5.1.1 gone"),
        Arguments.of("error:bogus Some text", "554 5.0.0 Some text"),
        Arguments.of("error:550 Mailbox gone", "550 5.0.0 Mailbox gone"),
        Arguments.of("error:\"nouser\" \"550 quoted\"", "550 5.1.1 quoted"),
        Arguments.of("error:5.2.1:mailbox disabled", "553 5.2.1 mailbox disabled"),
        Arguments.of("error:nouser 550 %1 has left", "550 5.1.1 joe has left"));
  }

  @ParameterizedTest(name = "{0} => {1}")
  @MethodSource("errors")
  void errorResultsBecomeReplies(String value, String reply) throws LookupException {
    VirtualLookup l = lookup(MemoryTable.of("@example.com", value), "joe@example.com");
    VirtualResult.Error error = (VirtualResult.Error) l.result();
    assertEquals(reply, error.reply().toString());
  }

  @Test
  void nouserErrorIsPermanentUserUnknown() throws LookupException {
    VirtualLookup l = lookup(MemoryTable.of("old@example.com", "error:nouser"),
        "old@example.com");
    assertEquals(new VirtualResult.Error(new SmtpReply(550, "5.1.1", "User unknown")),
        l.result());
    assertEquals("error 550 5.1.1 User unknown", l.result().describe());
  }

  @Test
  void remoteAndLocalTargetsAreReturnedAsWritten() throws LookupException {
    MemoryTable table = MemoryTable.of("info@example.com", " joe@elsewhere.example ",
        "sales@example.com", "bob");
    assertEquals(new VirtualResult.Address("joe@elsewhere.example"),
        lookup(table, "info@example.com").result());
    assertEquals(new VirtualResult.Address("bob"), lookup(table, "Sales@Example.com").result());
  }

  @Test
  void tableFailureIsPassedUpNotReadAsNotFound() {
    MemoryTable table = MemoryTable.of("@example.com", "x").failingOn("joe@example.com");
    assertThrows(LookupException.class, () -> lookup(table, "joe@example.com"));
  }
}
