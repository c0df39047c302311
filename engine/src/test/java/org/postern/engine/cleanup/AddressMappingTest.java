package org.postern.engine.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.maps.passwd.PasswdFile;

/**
 * Canonical maps and masquerading in the order and classes of Postfix's cleanup, with real
 * texthash tables in a temporary instance, through {@link AddressMapping} and {@link Cleanup}.
 */
class AddressMappingTest {
  @TempDir Path tmp;

  private Config config(String extra) throws Exception {
    Files.writeString(tmp.resolve("sender"), "alice@example.org alice@corp.example\n");
    Files.writeString(tmp.resolve("canonical"), "# common\n"
        + "alice@corp.example Alice.Smith@corp.example\n"
        + "a@example.org b@example.org\nb@example.org c@example.org\n"
        + "self@example.org self@example.org\n"
        + "bob bob.jones\n");
    Files.writeString(tmp.resolve("recipient"), "@old.example @new.example\n");
    Files.writeString(tmp.resolve("main.cf"), "myhostname = mail.example.org\n"
        + "myorigin = example.org\nmydestination = example.org, localhost\n"
        + "sender_canonical_maps = texthash:" + tmp.resolve("sender") + "\n"
        + "canonical_maps = texthash:" + tmp.resolve("canonical") + "\n"
        + "recipient_canonical_maps = texthash:" + tmp.resolve("recipient") + "\n"
        + "masquerade_domains = !keep.example.com, example.com\n"
        + "masquerade_exceptions = root\n" + extra);
    return Config.load(tmp);
  }

  private AddressMapping mapping(String extra) throws Exception {
    return AddressMapping.open(config(extra));
  }

  @Test
  void senderGoesThroughSenderCanonicalThenCanonical() throws Exception {
    AddressMapping.Mapped m = mapping("").map("alice@example.org", AddressClass.ENVELOPE_SENDER);
    assertEquals("Alice.Smith@corp.example", m.address());
    assertEquals(List.of(
        "sender_canonical_maps " + tmp.resolve("sender") + ":1 -> alice@corp.example",
        "canonical_maps " + tmp.resolve("canonical") + ":2 -> Alice.Smith@corp.example"),
        m.steps().stream().map(VirtualAliasing.Step::describe).toList());
  }

  @Test
  void recipientMapsDoNotTouchSendersAndTheReverse() throws Exception {
    AddressMapping a = mapping("");
    assertEquals("ann@old.example", a.map("ann@old.example", AddressClass.ENVELOPE_SENDER)
        .address());
    assertEquals("ann@new.example", a.map("ann@old.example", AddressClass.ENVELOPE_RECIPIENT)
        .address());
    assertEquals("alice@example.org", a.map("alice@example.org",
        AddressClass.ENVELOPE_RECIPIENT).address());
  }

  @Test
  void aMapIsAppliedToItsOwnResultUntilItSettles() throws Exception {
    AddressMapping a = mapping("");
    assertEquals("c@example.org", a.map("a@example.org", AddressClass.ENVELOPE_RECIPIENT)
        .address());
    assertEquals("self@example.org", a.map("self@example.org",
        AddressClass.ENVELOPE_RECIPIENT).address());
  }

  @Test
  void bareUserKeyAndUnqualifiedResultsUseMyorigin() throws Exception {
    assertEquals("bob.jones@example.org",
        mapping("").map("bob@localhost", AddressClass.ENVELOPE_RECIPIENT).address());
  }

  @Test
  void classesLimitWhereAMapApplies() throws Exception {
    AddressMapping a = mapping("canonical_classes = envelope_recipient\n");
    assertEquals("alice@corp.example", a.map("alice@example.org",
        AddressClass.ENVELOPE_SENDER).address());
  }

  @Test
  void masqueradingStripsSubdomainsFirstMatchDecides() throws Exception {
    AddressMapping a = mapping("");
    assertEquals("joe@example.com",
        a.map("joe@host.sub.example.com", AddressClass.ENVELOPE_SENDER).address());
    assertEquals("joe@host.keep.example.com",
        a.map("joe@host.keep.example.com", AddressClass.HEADER_SENDER).address());
    assertEquals("root@host.example.com",
        a.map("root@host.example.com", AddressClass.HEADER_SENDER).address());
    assertEquals("joe@example.com",
        a.map("joe@Host.Example.COM", AddressClass.HEADER_RECIPIENT).address());
    // Postfix's default masquerade_classes leave envelope recipients alone.
    assertEquals("joe@host.example.com",
        a.map("joe@host.example.com", AddressClass.ENVELOPE_RECIPIENT).address());
    assertEquals("joe@example.com", mapping(
        "masquerade_classes = envelope_recipient\n")
        .map("joe@host.example.com", AddressClass.ENVELOPE_RECIPIENT).address());
  }

  @Test
  void anUnknownClassIsAConfigurationError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> mapping("masquerade_classes = envelope_sender, headers\n"));
    assertTrue(e.getMessage().contains("masquerade_classes"), e.getMessage());
  }

  @Test
  void cleanupRewritesEnvelopeAndLocalHeadersByClass() throws Exception {
    Config config = config("");
    Path users = tmp.resolve("users");
    Files.writeString(users, "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n");
    Cleanup cleanup = new Cleanup(config, PasswdFile.load(users), Clock.systemUTC());
    Envelope in = new Envelope(1, 1000, "alice", "", List.of(
        new Recipient("ann@old.example"), new Recipient("joe@host.example.com")), Map.of());
    Cleanup.Cleaned c = cleanup.clean(new QueueId("0ABCDEFGHIJ12345"), in, 1000,
        Cleanup.Origin.LOCAL);
    assertEquals("Alice.Smith@corp.example", c.envelope().sender());
    assertEquals(List.of("ann@new.example", "joe@host.example.com"),
        c.envelope().recipients().stream().map(Recipient::address).toList());
    assertEquals("ann@old.example", c.envelope().recipients().get(0).original());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContentCleaner content = cleanup.content(c, out);
    content.write(("From: Alice <alice>\nReply-To: alice@example.org (me)\n"
        + "To: \"Joe\" <joe@host.sub.example.com>, ann@old.example\n"
        + "Resent-Reply-To: ann@old.example\nSubject: alice@example.org\n\nbody\n")
        .getBytes(StandardCharsets.US_ASCII));
    content.finish();
    String text = out.toString(StandardCharsets.US_ASCII);
    assertTrue(text.contains("From: Alice <Alice.Smith@corp.example>\n"), text);
    assertTrue(text.contains("Reply-To: Alice.Smith@corp.example (me)\n"), text);
    assertTrue(text.contains("To: \"Joe\" <joe@example.com>, ann@new.example\n"), text);
    assertTrue(text.contains("Resent-Reply-To: ann@new.example\n"), text);
    assertTrue(text.contains("Subject: alice@example.org\n"), text);
  }

  @Test
  void headersOfRemoteSmtpClientsKeepTheirAddresses() throws Exception {
    Config config = config("");
    Path users = tmp.resolve("users");
    Files.writeString(users, "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n");
    Cleanup cleanup = new Cleanup(config, PasswdFile.load(users), Clock.systemUTC());
    Envelope in = new Envelope(1, 1000, "alice", "alice@example.org",
        List.of(new Recipient("ann@old.example")), Map.of(Envelope.ATTR_SENDER_SET, "1"));
    Cleanup.Cleaned c = cleanup.clean(new QueueId("0ABCDEFGHIJ12345"), in, 1000,
        Cleanup.Origin.SMTP);
    assertEquals("Alice.Smith@corp.example", c.envelope().sender());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContentCleaner content = cleanup.content(c, out);
    content.write("From: alice@example.org\nTo: ann@old.example\n\nbody\n"
        .getBytes(StandardCharsets.US_ASCII));
    content.finish();
    String text = out.toString(StandardCharsets.US_ASCII);
    assertTrue(text.contains("From: alice@example.org\nTo: ann@old.example\n"), text);
  }
}
