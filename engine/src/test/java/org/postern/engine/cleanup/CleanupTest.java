package org.postern.engine.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.engine.global.Config;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.maps.passwd.PasswdFile;

/**
 * Cleanup against golden files (STYLE.md §8): each {@code golden/X.input} holds a submission
 * (envelope lines, {@code ---}, the content as sendmail stored it) and {@code X.expected} the
 * cleaned envelope and content, byte for byte, for a fixed clock and queue id.
 *
 * <p>Input lines: {@code uid: N}, {@code sender: ADDR} (as with -f; absent means no -f),
 * {@code rcpt: ADDR} (repeatable), {@code attr: name=value}. Expected lines: {@code sender:},
 * {@code rcpt:} per recipient, {@code message-id:}.
 */
class CleanupTest {
  private static final QueueId ID = new QueueId("0ABCDEFGHIJ12345");
  /** 2026-11-25 03:51:14 in Berlin (CET, +0100). */
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T02:51:14Z"), ZoneId.of("Europe/Berlin"));
  private static final String SEPARATOR = "---\n";

  @TempDir Path tmp;
  private Cleanup cleanup;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(tmp.resolve("main.cf"),
        "myhostname = mail.example.org\nmyorigin = example.org\ntrusted_users = root\n");
    Path users = tmp.resolve("users");
    Files.writeString(users,
        "root:x:0:0:Charlie Root:/root:/bin/sh\n"
            + "alice:x:1000:1000:Alice Example,,,:/home/alice:/bin/sh\n"
            + "jose:x:1001:1001:Jos\u00e9 N\u00fa\u00f1ez:/home/jose:/bin/sh\n",
        StandardCharsets.UTF_8);
    cleanup = new Cleanup(Config.load(tmp), PasswdFile.load(users), CLOCK);
  }

  static Stream<String> goldenCases() throws IOException, URISyntaxException {
    URL dir = CleanupTest.class.getResource("golden");
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      List<String> names = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".input"))
          .map(n -> n.substring(0, n.length() - ".input".length()))
          .sorted()
          .toList();
      return names.stream();
    }
  }

  @Test
  void everyGoldenInputHasItsExpectedOutput() throws Exception {
    List<String> names = goldenCases().toList();
    assertTrue(names.size() >= 10, "golden cases found: " + names);
    for (String name : names) {
      assertTrue(CleanupTest.class.getResource("golden/" + name + ".expected") != null, name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void cleansAsTheGoldenFileSays(String name) throws Exception {
    byte[] input = resource(name + ".input");
    byte[] expected = resource(name + ".expected");
    int split = indexOf(input, SEPARATOR.getBytes(StandardCharsets.US_ASCII));
    String head = new String(input, 0, split, StandardCharsets.UTF_8);
    byte[] content = Arrays.copyOfRange(input, split + SEPARATOR.length(), input.length);

    int uid = -1;
    String sender = "claimed-by-the-submitter";
    Map<String, String> attrs = new HashMap<>();
    List<Recipient> rcpts = new ArrayList<>();
    for (String line : head.split("\n")) {
      String value = line.substring(line.indexOf(':') + 1).strip();
      if (line.startsWith("uid:")) {
        uid = Integer.parseInt(value);
      } else if (line.startsWith("sender:")) {
        sender = value;
        attrs.put(Envelope.ATTR_SENDER_SET, "1");
      } else if (line.startsWith("rcpt:")) {
        rcpts.add(new Recipient(value));
      } else if (line.startsWith("attr:")) {
        attrs.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
      } else {
        throw new IllegalStateException(name + ": bad input line " + line);
      }
    }

    Envelope env = new Envelope(1, uid, "claimed", sender, rcpts, attrs);
    // Streamed as a whole, a line at a time and a byte at a time: the same bytes each way.
    for (int chunk : new int[] {Integer.MAX_VALUE, 7, 1}) {
      Result out = clean(env, content, uid, chunk);
      assertEquals(latin1(expected), latin1(render(out)), name + " in chunks of " + chunk);
    }
  }

  private static byte[] render(Result out) {
    StringBuilder b = new StringBuilder();
    b.append("sender: ").append(out.envelope().sender()).append('\n');
    for (Recipient r : out.envelope().recipients()) {
      b.append("rcpt: ").append(r.address()).append('\n');
    }
    b.append("message-id: ").append(out.messageId()).append('\n').append(SEPARATOR);
    byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + out.content().length);
    System.arraycopy(out.content(), 0, all, head.length, out.content().length);
    return all;
  }

  /** The cleaned envelope, content and Message-ID of one submission. */
  private record Result(Envelope envelope, byte[] content, String messageId) {}

  private Result clean(Envelope env, byte[] content, int uid) throws Exception {
    return clean(env, content, uid, Integer.MAX_VALUE);
  }

  /** Cleans {@code content} written into the cleanup stream {@code chunk} bytes at a time. */
  private Result clean(Envelope env, byte[] content, int uid, int chunk) throws Exception {
    Cleanup.Cleaned cleaned = cleanup.clean(ID, env, uid, Cleanup.Origin.LOCAL);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContentCleaner cleaner = cleanup.content(cleaned, out);
    for (int i = 0; i < content.length; i += chunk) {
      cleaner.write(content, i, Math.min(chunk, content.length - i));
    }
    cleaner.finish();
    return new Result(cleaned.envelope(), out.toByteArray(), cleaner.messageId().orElseThrow());
  }

  private Result clean(String sender, boolean senderSet, int uid, Recipient... rcpts)
      throws Exception {
    Map<String, String> attrs = new HashMap<>();
    if (senderSet) {
      attrs.put(Envelope.ATTR_SENDER_SET, "1");
    }
    return clean(new Envelope(1, uid, "claimed", sender, List.of(rcpts), attrs),
        "Subject: s\n\nbody\n".getBytes(StandardCharsets.US_ASCII), uid);
  }

  // Envelope checks.

  @Test
  void qualifiesRecipientsWithMyoriginAndDropsDuplicatesWithoutRegardToCase() throws Exception {
    Result out =
        clean("", false, 1000,
            new Recipient("bob"),
            new Recipient("Bob@Example.org"),
            new Recipient("bob@example.org"),
            new Recipient("carol@example.net"),
            new Recipient("CAROL@EXAMPLE.NET"));

    assertEquals(List.of("bob@example.org", "carol@example.net"),
        out.envelope().recipients().stream().map(Recipient::address).toList());
  }

  @Test
  void keepsTheOriginalAddressQualifiedAndTheNotifyList() throws Exception {
    Result out = clean("", false, 1000, new Recipient("bob", "Bob", "success,delay"));

    assertEquals(List.of(new Recipient("bob@example.org", "Bob@example.org", "success,delay")),
        out.envelope().recipients());
  }

  @Test
  void takesTheSenderFromTheUidWhenNoneWasSet() throws Exception {
    Result out = clean("mallory@evil.example", false, 1000, new Recipient("bob"));

    assertEquals("alice@example.org", out.envelope().sender());
    assertEquals("alice", out.envelope().login());
    assertEquals(1000, out.envelope().uid());
  }

  @Test
  void namesAnUnknownUidByNumber() throws Exception {
    Result out = clean("", false, 4242, new Recipient("bob"));

    assertEquals("uid4242@example.org", out.envelope().sender());
    assertEquals("uid4242", out.envelope().login());
  }

  @Test
  void qualifiesASenderSetWithoutDomain() throws Exception {
    assertEquals("bob@example.org", clean("bob", true, 0, new Recipient("x")).envelope().sender());
  }

  @Test
  void keepsTheNullSender() throws Exception {
    Result out = clean("", true, 1000, new Recipient("bob"));

    assertEquals("", out.envelope().sender());
    assertTrue(out.envelope().isNullSender());
    String text = new String(out.content(), StandardCharsets.UTF_8);
    assertTrue(text.contains(
        "X-Authentication-Warning: mail.example.org: alice set sender to <> using -f\n"), text);
  }

  @Test
  void dropsSubmissionOnlyAttributesAndKeepsTheOthers() throws Exception {
    Map<String, String> attrs = new HashMap<>();
    attrs.put(Envelope.ATTR_SENDER_SET, "1");
    attrs.put(Envelope.ATTR_FULLNAME, "Someone");
    attrs.put(Envelope.ATTR_RET, "hdrs");
    attrs.put(Envelope.ATTR_ENVID, "E1");
    Result out = clean(
        new Envelope(1, 1000, "claimed", "alice", List.of(new Recipient("bob")), attrs),
        "x\n".getBytes(StandardCharsets.US_ASCII), 1000);

    assertEquals(Map.of(Envelope.ATTR_RET, "hdrs", Envelope.ATTR_ENVID, "E1"),
        out.envelope().attributes());
  }

  @Test
  void datesTheMessageByTheClock() throws Exception {
    assertEquals(CLOCK.millis(), clean("", false, 1000, new Recipient("b")).envelope()
        .arrivalMillis());
  }

  @Test
  void reportsTheMessageIdItKeeps() throws Exception {
    Result out = clean(
        new Envelope(1, 1000, "c", "", List.of(new Recipient("bob")), Map.of()),
        "Message-ID:   <given@example.org>  \n\nx\n".getBytes(StandardCharsets.US_ASCII), 1000);

    assertEquals("<given@example.org>", out.messageId());
    assertFalse(new String(out.content(), StandardCharsets.US_ASCII).contains(ID.value() + "@"));
  }

  @Test
  void holdsNoMoreThanHeaderSizeLimitAndTakesTheRestAsBody() throws Exception {
    Files.writeString(tmp.resolve("main.cf"), "header_size_limit = 100\n",
        StandardOpenOption.APPEND);
    cleanup = new Cleanup(Config.load(tmp), PasswdFile.load(tmp.resolve("users")), CLOCK);
    String early = "Bcc: early@example.org\nX-Filler: " + "f".repeat(60) + "\n";
    String late = "Bcc: late@example.org\n\nbody\n";

    Result out = clean(new Envelope(1, 1000, "c", "", List.of(new Recipient("bob")), Map.of()),
        (early + late).getBytes(StandardCharsets.US_ASCII), 1000, 1);

    String text = new String(out.content(), StandardCharsets.US_ASCII);
    // Within the bound: parsed, completed, Bcc dropped. Past it: passed on as it came.
    assertTrue(text.contains("\nMessage-ID: <"), text);
    assertFalse(text.contains("early@"), text);
    assertTrue(text.endsWith("X-Filler: " + "f".repeat(60) + "\n" + late), text);
  }

  @Test
  void leavesTheHeaderAddressesOfAnSmtpClientAsWritten() throws Exception {
    Envelope env = new Envelope(1, 1000, "c", "", List.of(new Recipient("bob")), Map.of());
    Cleanup.Cleaned cleaned = cleanup.clean(ID, env, 1000, Cleanup.Origin.SMTP);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContentCleaner cleaner = cleanup.content(cleaned, out);
    cleaner.write("To: bob\nCc: carol\n\nx\n".getBytes(StandardCharsets.US_ASCII));
    cleaner.finish();

    String text = out.toString(StandardCharsets.US_ASCII);
    assertTrue(text.contains("\nTo: bob\nCc: carol\n\nx\n"), text);
  }

  @Test
  void qualifiesTheHeaderAddressesOfAnSmtpClientOnOurOwnAddresses() throws Exception {
    Envelope env = new Envelope(1, 1000, "c", "", List.of(new Recipient("bob")), Map.of());
    Cleanup.Cleaned cleaned = cleanup.clean(ID, env, 1000, Cleanup.Origin.SMTP_LOCAL_CLIENT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContentCleaner cleaner = cleanup.content(cleaned, out);
    cleaner.write("To: bob\nCc: carol\n\nx\n".getBytes(StandardCharsets.US_ASCII));
    cleaner.finish();

    String text = out.toString(StandardCharsets.US_ASCII);
    assertTrue(text.contains("\nTo: bob@example.org\nCc: carol@example.org\n\nx\n"), text);
    assertFalse(text.startsWith("Received:"), text); // smtpd writes its own
  }

  @Test
  void leavesUnqualifiedHeaderAddressesAloneWithoutAppendAtMyorigin() throws Exception {
    Files.writeString(tmp.resolve("main.cf"), "append_at_myorigin = no\n",
        StandardOpenOption.APPEND);
    cleanup = new Cleanup(Config.load(tmp), PasswdFile.load(tmp.resolve("users")), CLOCK);

    Result out = clean(new Envelope(1, 1000, "c", "", List.of(new Recipient("bob")), Map.of()),
        "To: bob\n\nx\n".getBytes(StandardCharsets.US_ASCII), 1000);

    assertTrue(latin1(out.content()).contains("\nTo: bob\n\nx\n"), latin1(out.content()));
  }

  @Test
  void qualifiesHeaderAddressesKeepingEightBitDisplayNamesByteForByte() throws Exception {
    byte[] in = "From: Jos\u00e9 <jose>\nTo: \u00c5sa <asa>\n\nx\n"
        .getBytes(StandardCharsets.UTF_8);

    Result out = clean(
        new Envelope(1, 1000, "c", "", List.of(new Recipient("bob")), Map.of()), in, 1000);

    String text = new String(out.content(), StandardCharsets.UTF_8);
    assertTrue(text.contains("\nFrom: Jos\u00e9 <jose@example.org>\nTo: \u00c5sa <asa@example.org>\n"),
        text);
  }

  private static byte[] resource(String name) throws IOException {
    try (var in = CleanupTest.class.getResourceAsStream("golden/" + name)) {
      if (in == null) {
        throw new IOException("missing golden file " + name);
      }
      return in.readAllBytes();
    }
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      if (i > 0 && b[i - 1] != '\n') {
        continue;
      }
      for (int k = 0; k < what.length; k++) {
        if (b[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("no --- line");
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
