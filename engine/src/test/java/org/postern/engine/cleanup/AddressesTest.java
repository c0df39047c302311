package org.postern.engine.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {

  /** Address | local part | domain ("-" = none). */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      value = {
        "bob@x.org              | bob            | x.org",
        "bob                    | bob            | -",
        "\"a@b\"@c.org          | \"a@b\"        | c.org",
        "\"a@b\"                | \"a@b\"        | -",
        "\"a\\\"@b\"@c           | \"a\\\"@b\"     | c",
        "u@[127.0.0.1]          | u              | [127.0.0.1]",
      })
  void splitsLocalPartAndDomain(String addr, String local, String domain) {
    assertEquals(local, Addresses.localPart(addr));
    assertEquals(
        domain.equals("-") ? Optional.empty() : Optional.of(domain), Addresses.domain(addr));
  }

  @Test
  void comparesDomainsWithoutRegardToCaseOrFinalDot() {
    assertTrue(Addresses.sameDomain("Example.COM", "example.com."));
    assertFalse(Addresses.sameDomain("example.com", "example.org"));
  }

  /** Address | qualified with myorigin "host.example". */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '\'',
      value = {
        "bob            | bob@host.example",
        "bob@other      | bob@other",
        "\"a@b\"        | \"a@b\"@host.example",
        "''             | ''",
        "<>             | <>",
      })
  void qualifiesOnlyUnqualifiedAddresses(String addr, String expected) {
    assertEquals(expected, Addresses.qualify(addr, "host.example"));
  }
}
