package org.postern.maps.authinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** sendmail's authinfo values and the keys its client tries, as cf/README describes them. */
class AuthInfoEntryTest {
  @Test
  void readsUserPasswordAndMechanisms() throws Exception {
    AuthInfoEntry e = AuthInfoEntry.parse("\"U:me\" \"P:sec ret:1\" \"M:PLAIN login\"");
    assertEquals(new AuthInfoEntry("me", "me", "sec ret:1", Optional.empty(),
        List.of("PLAIN", "LOGIN")), e);
  }

  @Test
  void takesIAsTheAuthenticationIdAndDecodesPEquals() throws Exception {
    AuthInfoEntry e = AuthInfoEntry.parse("\"U:boss\" \"I:me\" \"P=c2VjcmV0\" \"R:example.com\"");
    assertEquals("boss", e.authorizationId());
    assertEquals("me", e.authenticationId());
    assertEquals("secret", e.password());
    assertEquals(Optional.of("example.com"), e.realm());
  }

  @Test
  void refusesMissingPasswordUnquotedItemsAndUnknownItemsWithoutShowingPasswords() {
    assertEquals("missing \"P:password\"",
        assertThrows(AuthInfoException.class, () -> AuthInfoEntry.parse("\"U:me\""))
            .getMessage());
    assertEquals("items must be in double quotes, as \"U:user\" \"P:password\"",
        assertThrows(AuthInfoException.class, () -> AuthInfoEntry.parse("U:me P:x"))
            .getMessage());
    assertEquals("unknown item \"X:\": expected U, I, P, R or M",
        assertThrows(AuthInfoException.class, () -> AuthInfoEntry.parse("\"U:me\" \"X:1\""))
            .getMessage());
    assertEquals("unbalanced '\"'",
        assertThrows(AuthInfoException.class, () -> AuthInfoEntry.parse("\"U:me\" \"P:secret"))
            .getMessage());
  }

  @Test
  void neverPrintsThePassword() throws Exception {
    assertFalse(AuthInfoEntry.parse("\"U:me\" \"P:secret\"").toString().contains("secret"));
    assertFalse(assertThrows(AuthInfoException.class,
        () -> AuthInfoEntry.parse("\"U:me\" \"P\"")).getMessage().contains("secret"));
  }

  @Test
  void triesHostParentsAddressPrefixesThenTheDefault() {
    assertEquals(List.of("AuthInfo:smtp.example.com", "AuthInfo:example.com", "AuthInfo:com",
        "AuthInfo:192.0.2.7", "AuthInfo:192.0.2", "AuthInfo:192.0", "AuthInfo:192",
        "AuthInfo:"), AuthInfoKeys.of("smtp.example.com", "192.0.2.7"));
    assertEquals(List.of("AuthInfo:IPv6:2001:db8::1", "AuthInfo:IPv6:2001:db8:",
        "AuthInfo:IPv6:2001:db8", "AuthInfo:IPv6:2001", "AuthInfo:"),
        AuthInfoKeys.of("2001:db8::1", "2001:db8::1"));
  }
}
