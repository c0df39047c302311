package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classic open-relay tests (the ones relay testers such as Abuse.net's and rlytest send),
 * against an instance whose domains are example.org, mail.example.org and localhost: every
 * trick must be refused from a client outside mynetworks, and the same tricks pointing back
 * at one of our own users must be accepted and delivered to that user.
 */
class OpenRelayBatteryTest {
  @TempDir Path root;

  static Stream<String> relayTricks() {
    return Stream.of(
        "victim@evil.example", // plain relaying
        "VICTIM@EVIL.EXAMPLE", // upper case changes nothing
        "victim@evil.example.", // trailing dot: still their domain
        "victim@example.org.evil.example", // our name as a label of theirs
        "victim@localhost.evil.example", // "localhost" as a label of theirs
        "victim%evil.example@example.org", // percent hack through us
        "victim%evil.example@MAIL.EXAMPLE.ORG.", // percent hack, our name shouted, dotted
        "victim%evil.example%example.org@example.org", // percent hack twice
        "\"victim@evil.example\"@example.org", // quoted at-sign
        "\"victim%evil.example\"@example.org", // quoted percent
        "\"victim\\@evil.example\"@example.org", // escaped at-sign in quotes
        "\"victim@evil.example\"", // quoted, unqualified
        "@example.org:victim@evil.example", // source route through us
        "@mail.example.org,@example.org:victim@evil.example", // two-hop source route
        "@[127.0.0.1]:victim@evil.example", // source route through our own literal
        "victim@evil.example@example.org", // two at-signs
        "victim@evil.example%example.org", // percent in the domain
        "evil.example!victim@example.org", // bang path through us
        "example.org!evil.example!victim@example.org", // bang path, two hops
        "evil.example!victim", // bang path, unqualified
        "victim%evil.example", // percent hack, unqualified
        "victim@[192.0.2.1]", // address literal of another host
        "victim@[IPv6:2001:db8::1]", // IPv6 literal of another host
        "victim%evil.example@[127.0.0.1]", // percent hack through our own literal
        "<victim@evil.example>", // brackets the session should have stripped
        "victim@evil.example@", // dangling at-sign
        "victim@[evil.example]", // a name inside literal brackets
        "" // no recipient at all
    );
  }

  @ParameterizedTest
  @MethodSource("relayTricks")
  void refusesEveryRelayTrickFromOutsideMynetworks(String rcpt) throws Exception {
    StandardPolicy p = PolicyInstance.create(root).policy();
    RcptDecision d = p.rcptTo(PolicyInstance.client("203.0.113.9", "unknown"), "a@b.example",
        rcpt);
    Verdict.Reject r = assertInstanceOf(Verdict.Reject.class, d.verdict(), rcpt);
    assertTrue(r.reply().equals("554 5.7.1 <" + rcpt + ">: Relay access denied")
        || r.reply().equals("501 5.1.3 Bad recipient address syntax"), r.reply());
  }

  static Stream<Arguments> localForms() {
    return Stream.of(
        Arguments.of("alice%example.org@example.org", "alice@example.org"), // percent hack
        Arguments.of("alice%localhost@MAIL.EXAMPLE.ORG.", "alice@localhost"),
        Arguments.of("\"alice@example.org\"@example.org", "alice@example.org"), // quoted
        Arguments.of("\"alice\"@example.org", "alice@example.org"),
        Arguments.of("@mail.example.org:alice@example.org", "alice@example.org"), // route
        Arguments.of("@relay.example,@other.example:alice@example.org", "alice@example.org"),
        Arguments.of("example.org!alice@example.org", "alice@example.org"), // bang path
        Arguments.of("localhost!alice", "alice@localhost"),
        Arguments.of("alice%localhost", "alice@localhost"),
        Arguments.of("ALICE@EXAMPLE.ORG", "ALICE@example.org"), // case of the domain
        Arguments.of("alice@example.org.", "alice@example.org"), // trailing dot
        Arguments.of("postmaster@Localhost.", "postmaster@localhost"), // alias
        Arguments.of("alice@[127.0.0.1]", "alice"), // our own literal
        Arguments.of("alice", "alice")); // unqualified local user
  }

  @ParameterizedTest
  @MethodSource("localForms")
  void acceptsTheSameTricksWhenTheyEndAtALocalUser(String rcpt, String deliverTo)
      throws Exception {
    StandardPolicy p = PolicyInstance.create(root).policy();
    RcptDecision d = p.rcptTo(PolicyInstance.client("203.0.113.9", "unknown"), "", rcpt);
    assertInstanceOf(Verdict.Accept.class, d.verdict(), rcpt + " -> " + d);
    assertEquals(deliverTo, d.deliverTo());
  }
}
