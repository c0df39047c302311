package org.postern.engine.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressParserTest {

  /** Header value | addresses found, joined with " ; " (empty = none). */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      value = {
        "a@x                                          | a@x",
        "a@x, b@y                                     | a@x ; b@y",
        "Name <a@x>                                   | a@x",
        "\"Quoted, Name\" <a@x>, b@y                  | a@x ; b@y",
        "a@x (Comment, with comma), b@y               | a@x ; b@y",
        "a@x (comment <with> angles, @ and : ;), b@y  | a@x ; b@y",
        "(leading) a@x (nested (comment, here))       | a@x",
        "\"a \\\"b\\\" c\" <x@y>                      | x@y",
        "undisclosed-recipients:;                     | ''",
        "team: a@x, b@y;                              | a@x ; b@y",
        "team: a@x, b@y;, c@z                         | a@x ; b@y ; c@z",
        "\"My Team\": Ann <a@x>, b@y; c@z              | a@x ; b@y ; c@z",
        "<@relay:user@dom>                            | user@dom",
        "Name <@r1,@r2:user@dom>, b@y                 | user@dom ; b@y",
        "bob                                          | bob",
        "bob, Alice <alice>                           | bob ; alice",
        "\"john doe\"@x                               | \"john doe\"@x",
        "a@x,,b@y,                                    | a@x ; b@y",
        ",,,                                          | ''",
        "''                                           | ''",
        "josé@exämple.org, 日本@例え.jp              | josé@exämple.org ; 日本@例え.jp",
        "=?UTF-8?B?w6lsw6g=?= <e@x>                    | e@x",
        "Doe, John <j@x>                              | Doe ; j@x",
        "a@x; b@y                                     | a@x ; b@y",
        "a @ x . org                                  | a@x.org",
        "first.last@sub.example.com                   | first.last@sub.example.com",
        "a@[127.0.0.1], b@[IPv6:::1]                  | a@[127.0.0.1] ; b@[IPv6:::1]",
        "a@example.com.                               | a@example.com",
        "a@x <b@y>                                    | b@y",
        "\"|cmd\"@remote.example                     | \"|cmd\"@remote.example",
      })
  void extractsAddresses(String value, String expected) {
    AddressList list = AddressParser.parse(value);
    List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(" ; "));
    assertEquals(want, list.addresses());
    assertEquals(List.of(), list.problems());
  }

  /** Header value | addresses still found | the reason reported for the skipped element. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      value = {
        "a@@x, b@y                 | b@y      | Invalid route address",
        "<a@x, b@y                 | b@y      | Unbalanced '<'",
        "a@x>, b@y                 | b@y      | Unbalanced '>'",
        "b@y, \"unterminated       | b@y      | Unbalanced '\"'",
        "b@y, a@x (open comment    | b@y      | Unbalanced '('",
        "a@x), b@y                 | b@y      | Unbalanced ')'",
        "b@y, a@                   | b@y      | Hostname required",
        "@x, b@y                   | b@y      | User address required",
        "<>, b@y                   | b@y      | User address required",
        "a@b..c, b@y               | b@y      | Invalid host name",
        "John Doe, b@y             | b@y      | Invalid address",
        "\"|/bin/sh\", b@y          | b@y      | Cannot mail directly to programs",
        "|/bin/sh, b@y             | b@y      | Cannot mail directly to programs",
        "/etc/passwd, b@y          | b@y      | Cannot mail directly to files",
      })
  void skipsAndReportsWhatCannotBeParsed(String value, String found, String reason) {
    AddressList list = AddressParser.parse(value);
    assertEquals(List.of(found), list.addresses());
    assertEquals(1, list.problems().size(), list.problems().toString());
    assertTrue(list.problems().get(0).endsWith("... " + reason), list.problems().get(0));
  }

  @Test
  void parsesAFoldedToHeaderOverSeveralLines() {
    HeaderSection h =
        HeaderSection.parse(
            ("To: \"Doe, John\" <john@x>,\n"
                    + "    Mary (the boss, really) <mary@y>,\n"
                    + "\tbob\n"
                    + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(
        List.of("john@x", "mary@y", "bob"), AddressParser.parse(h.values("To").get(0)).addresses());
  }

  @Test
  void parsesSeveralHeaderValuesInOrder() {
    AddressList list = AddressParser.parseAll(List.of("a@x, b@y", "c@z", "bad@@x"));
    assertEquals(List.of("a@x", "b@y", "c@z"), list.addresses());
    assertEquals(List.of("bad@@x... Invalid route address"), list.problems());
  }

  @Test
  void reportsControlCharactersWithoutEchoingThem() {
    AddressList list = AddressParser.parse("a\u0001b@x, c@y");
    assertEquals(List.of("c@y"), list.addresses());
    assertEquals(
        List.of("a?b@x... Syntax error in mailbox address (non-printable character)"),
        list.problems());
  }

  @Test
  void neverThrowsOnGarbage() {
    String garbage = "<<>>,;:\"(\\)[]@@..<@,@:>" + "\u00ff\u0000\r\t" + ":;;::<";
    for (int i = 0; i <= garbage.length(); i++) {
      AddressParser.parse(garbage.substring(0, i));
      AddressParser.parse(garbage.substring(i));
    }
  }
}
