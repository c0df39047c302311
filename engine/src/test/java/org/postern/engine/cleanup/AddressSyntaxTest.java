package org.postern.engine.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressSyntaxTest {

  /** Command-line argument | normalised recipient. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      value = {
        "bob                         | bob",
        "bob@localhost               | bob@localhost",
        "Bob <bob@x>                 | bob@x",
        "\"Doe, John\" <j@x>          | j@x",
        "a@b (comment)               | a@b",
        "a@b (comment, with (nested) parens) | a@b",
        "<a@b>                       | a@b",
        "bob@[127.0.0.1]             | bob@[127.0.0.1]",
        "bob@[IPv6:2001:db8::1]      | bob@[IPv6:2001:db8::1]",
        "<@relay.example:u@dom>      | u@dom",
        "\"john doe\"@x               | \"john doe\"@x",
        "first.last+tag@ex-ample.org | first.last+tag@ex-ample.org",
        "user@EXAMPLE.com.           | user@EXAMPLE.com",
        "josé@exämple.org            | josé@exämple.org",
        "under_score@my_host.lan     | under_score@my_host.lan",
        "\"a \\\"b\\\" c\" <x@y>       | x@y",
        "\"|x\"@remote.example        | \"|x\"@remote.example",
      })
  void acceptsAndNormalises(String arg, String expected) {
    assertEquals(new AddressCheck.Valid(expected), AddressSyntax.recipient(arg));
  }

  /** Command-line argument | sendmail's text | DSN code. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      value = {
        "a@@b                  | Invalid route address                        | 5.1.3",
        "a@b@c                 | Invalid route address                        | 5.1.3",
        "<a@b                  | Unbalanced '<'                               | 5.1.3",
        "a@b>                  | Unbalanced '>'                               | 5.1.3",
        "\"a@b                 | Unbalanced '\"'                              | 5.1.3",
        "(a@b                  | Unbalanced '('                               | 5.1.3",
        "a@b)                  | Unbalanced ')'                               | 5.1.3",
        "a@[1.2.3.4            | Unbalanced '['                               | 5.1.3",
        "a@b..c                | Invalid host name                            | 5.1.2",
        "a@.b                  | Invalid host name                            | 5.1.2",
        "a@b!c                 | Invalid host name                            | 5.1.2",
        "a@b c                 | Invalid host name                            | 5.1.2",
        "a@\"b\"               | Invalid host name                            | 5.1.2",
        "a@[300.1.1.1]         | Invalid host name                            | 5.1.2",
        "a@[1.2.3.4]x          | Invalid address                              | 5.1.3",
        "a@                    | Hostname required                            | 5.1.3",
        "@b                    | User address required                        | 5.1.3",
        "<>                    | User address required                        | 5.1.3",
        "''                    | User address required                        | 5.1.3",
        "a@b:c                 | Colon illegal in host name part              | 5.1.3",
        "undisclosed-recipients:; | List:; syntax illegal for recipient addresses | 5.1.3",
        "team: a@x             | List:; syntax illegal for recipient addresses | 5.1.3",
        "a@x, b@y              | Invalid route address                        | 5.1.3",
        "john doe@x            | Invalid address                              | 5.1.3",
        "<<a@b>>               | Invalid address                              | 5.1.3",
        "|/bin/sh              | Cannot mail directly to programs             | 5.7.1",
        "/tmp/file             | Cannot mail directly to files                | 5.7.1",
      })
  void refusesWithSendmailsText(String arg, String reason, String dsn) {
    assertEquals(new AddressCheck.Invalid(arg, reason, dsn), AddressSyntax.recipient(arg));
  }

  @Test
  void printsTheErrorLineAsSendmailDoes() {
    AddressCheck c = AddressSyntax.recipient("a@@b");
    assertEquals(
        "a@@b... Invalid route address", assertInstanceOf(AddressCheck.Invalid.class, c).message());
  }

  @Test
  void refusesControlCharactersAndShowsThemAsQuestionMarks() {
    AddressCheck c = AddressSyntax.recipient("a@b\nBcc: evil@x");
    AddressCheck.Invalid i = assertInstanceOf(AddressCheck.Invalid.class, c);
    assertEquals("Syntax error in mailbox address (non-printable character)", i.reason());
    assertEquals(
        "a@b?Bcc: evil@x... Syntax error in mailbox address (non-printable character)",
        i.message());
  }

  @Test
  void refusesControlCharactersInsideQuotes() {
    assertInstanceOf(AddressCheck.Invalid.class, AddressSyntax.recipient("\"a\rb\"@x"));
  }

  @Test
  void refusesAnAddressLongerThanAnSmtpPath() {
    String longAddr =
        "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63);
    assertEquals(
        new AddressCheck.Invalid(longAddr, "Address too long", "5.1.3"),
        AddressSyntax.recipient(longAddr));
  }

  @Test
  void splitsAnArgumentAtCommasAndDropsEmptyElements() {
    assertEquals(
        List.of(
            new AddressCheck.Valid("a@x"),
            new AddressCheck.Valid("j@y"),
            new AddressCheck.Valid("bob")),
        AddressSyntax.recipients("a@x,, \"Doe, John\" <j@y>, bob,"));
    assertEquals(List.of(), AddressSyntax.recipients(""));
    assertEquals(List.of(), AddressSyntax.recipients(" , "));
  }

  @Test
  void reportsEachBadElementOfAnArgument() {
    assertEquals(
        List.of(
            new AddressCheck.Valid("a@x"),
            new AddressCheck.Invalid("b@@y", "Invalid route address", "5.1.3")),
        AddressSyntax.recipients("a@x, b@@y"));
  }

  @Test
  void refusesGroupsInAnArgument() {
    List<AddressCheck> out = AddressSyntax.recipients("undisclosed-recipients:;");
    assertEquals(1, out.size());
    assertEquals(
        "List:; syntax illegal for recipient addresses",
        assertInstanceOf(AddressCheck.Invalid.class, out.get(0)).reason());
  }

  @Test
  void acceptsTheNullSender() {
    assertEquals(new AddressCheck.Valid(""), AddressSyntax.sender("<>"));
    assertEquals(new AddressCheck.Valid(""), AddressSyntax.sender(""));
    assertEquals(new AddressCheck.Valid("MAILER-DAEMON"), AddressSyntax.sender("MAILER-DAEMON"));
    assertEquals(new AddressCheck.Valid("me@x"), AddressSyntax.sender("Me <me@x>"));
  }

  @Test
  void refusesABadSenderWithTheSenderDsnCode() {
    assertEquals(
        new AddressCheck.Invalid("a@@b", "Invalid route address", "5.1.7"),
        AddressSyntax.sender("a@@b"));
  }
}
