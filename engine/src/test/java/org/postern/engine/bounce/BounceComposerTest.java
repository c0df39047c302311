package org.postern.engine.bounce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

class BounceComposerTest {
  private static final String HOST = "mail.example.org";
  private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final long ARRIVAL = NOW.minus(Duration.ofHours(5)).toEpochMilli();
  private static final QueueId QID = new QueueId("0TP1J8DER2H006H1");
  private static final String ORIGINAL_HEADERS =
      "Received: from joe by mail.example.org\n"
          + "From: Joe <joe@example.org>\n"
          + "To: Ann <ann@example.net>\n"
          + "Subject: lunch\n"
          + "Message-ID: <1@example.org>\n";
  private static final String ORIGINAL = ORIGINAL_HEADERS + "\n" + "See you at noon.\nJoe\n";

  private final BounceComposer composer = new BounceComposer(HOST, 50_000, CLOCK);

  @Test
  void failureNoticeIsMultipartReportWithThreeParts() throws Exception {
    byte[] notice = compose(failure("joe@example.org", Map.of()), ORIGINAL);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("multipart/report", py.get("type"));
    assertEquals("delivery-status", py.get("report-type"));
    assertEquals("Undelivered Mail Returned to Sender", py.get("subject"));
    assertEquals("3", py.get("parts"));
    assertEquals("text/plain", py.get("part0.type"));
    assertEquals("Notification", py.get("part0.description"));
    assertEquals("message/delivery-status", py.get("part1.type"));
    assertEquals("Delivery report", py.get("part1.description"));
    assertEquals("message/rfc822", py.get("part2.type"));
    assertEquals("Undelivered Message", py.get("part2.description"));
    assertEquals("lunch", py.get("returned.subject"));
    assertEquals("0", py.get("defects"));

    MimeMessage m = jakarta(notice);
    assertEquals("Undelivered Mail Returned to Sender", m.getSubject());
    ContentType type = new ContentType(m.getContentType());
    assertTrue(type.match("multipart/report"));
    assertEquals("delivery-status", type.getParameter("report-type"));
    MimeMultipart mp = assertInstanceOf(MimeMultipart.class, m.getContent());
    assertEquals(3, mp.getCount());
    assertTrue(mp.getBodyPart(0).isMimeType("text/plain"));
    assertTrue(mp.getBodyPart(1).isMimeType("message/delivery-status"));
    assertTrue(mp.getBodyPart(2).isMimeType("message/rfc822"));
    MimeMessage inner = assertInstanceOf(MimeMessage.class, mp.getBodyPart(2).getContent());
    assertEquals("lunch", inner.getSubject());
  }

  @Test
  void notificationHeadersComeFromMailerDaemonToTheOriginalSender() throws Exception {
    byte[] notice = compose(failure("joe@example.org", Map.of()), ORIGINAL);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("Mail Delivery System <MAILER-DAEMON@mail.example.org>", py.get("from"));
    assertEquals("joe@example.org", py.get("to.addr"));
    assertEquals("auto-replied", py.get("auto-submitted"));
    assertEquals("1.0", py.get("mime-version"));
    assertTrue(py.get("message-id").matches("<[^<>@\\s]+@mail\\.example\\.org>"));

    String head = headerSection(notice);
    assertFalse(head.contains("<>"), head);
    assertTrue(head.contains("\nTo: <joe@example.org>\n"), head);
    assertTrue(head.contains("\nDate: Fri, 1 Mar 2024 12:00:00 +0000\n"), head);
  }

  @Test
  void notificationUsesLfLineEndsOnly() throws Exception {
    byte[] notice = compose(failure("joe@example.org", Map.of()), ORIGINAL);

    for (byte b : notice) {
      assertFalse(b == '\r', "CR in notification");
    }
  }

  @Test
  void deliveryStatusCarriesPerMessageAndPerRecipientFields() throws Exception {
    byte[] notice = compose(failure("joe@example.org", Map.of()), ORIGINAL);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("2", py.get("ds.groups"));
    assertEquals("dns; mail.example.org", py.get("ds0.reporting-mta"));
    assertEquals(QID.value(), py.get("ds0.x-postern-queue-id"));
    assertEquals("rfc822; joe@example.org", py.get("ds0.x-postern-sender"));
    assertEquals("Fri, 1 Mar 2024 07:00:00 +0000", py.get("ds0.arrival-date"));
    assertNull(py.get("ds0.original-envelope-id"));
    assertEquals("rfc822; ann@example.net", py.get("ds1.final-recipient"));
    assertEquals("failed", py.get("ds1.action"));
    assertEquals("5.1.1", py.get("ds1.status"));
    assertEquals("dns; mx.example.net", py.get("ds1.remote-mta"));
    assertEquals("smtp; 550 5.1.1 <ann@example.net>: User unknown", py.get("ds1.diagnostic-code"));
    assertEquals("Fri, 1 Mar 2024 12:00:00 +0000", py.get("ds1.last-attempt-date"));
    assertNull(py.get("ds1.original-recipient"));
    assertNull(py.get("ds1.will-retry-until"));
    assertTrue(
        py.get("text").contains("<ann@example.net>: host mx.example.net said: 550 5.1.1"),
        py.get("text"));
  }

  @Test
  void multipleRecipientsProduceOneGroupEach() throws Exception {
    Envelope env = envelope("joe@example.org", Map.of());
    List<RecipientReport> rcpts = new ArrayList<>();
    rcpts.add(smtpFailure(new Recipient("ann@example.net")));
    rcpts.add(
        new RecipientReport(
            new Recipient("bob@example.org", "staff@example.org", ""),
            new DsnStatus("5.2.2", "mailbox full"),
            RecipientReport.LOCAL,
            "cannot update mailbox /var/mail/bob: quota exceeded",
            Optional.empty(),
            NOW.toEpochMilli()));
    rcpts.add(
        new RecipientReport(
            new Recipient("carl@example.org"),
            new DsnStatus("5.1.1", "unknown user"),
            RecipientReport.LOCAL,
            "unknown user: \"carl\"",
            Optional.empty(),
            NOW.toEpochMilli()));
    byte[] notice =
        composer.compose(DsnReport.of(QID, env, DsnReport.Kind.FAILURE, rcpts), stream(ORIGINAL));

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("4", py.get("ds.groups"));
    assertEquals("rfc822; ann@example.net", py.get("ds1.final-recipient"));
    assertEquals("rfc822; bob@example.org", py.get("ds2.final-recipient"));
    assertEquals("rfc822; staff@example.org", py.get("ds2.original-recipient"));
    assertEquals("5.2.2", py.get("ds2.status"));
    assertEquals(
        "X-Postern; cannot update mailbox /var/mail/bob: quota exceeded",
        py.get("ds2.diagnostic-code"));
    assertNull(py.get("ds2.remote-mta"));
    assertEquals("rfc822; carl@example.org", py.get("ds3.final-recipient"));
    assertEquals("X-Postern; unknown user: \"carl\"", py.get("ds3.diagnostic-code"));
    for (int i = 1; i <= 3; i++) {
      assertEquals("failed", py.get("ds" + i + ".action"));
    }
    String text = py.get("text");
    assertTrue(text.contains("<bob@example.org> (expanded from <staff@example.org>):"), text);
    assertTrue(text.contains("<carl@example.org>: unknown user: \"carl\""), text);
  }

  @Test
  void envidAppearsAsOriginalEnvelopeId() throws Exception {
    byte[] notice =
        compose(failure("joe@example.org", Map.of(Envelope.ATTR_ENVID, "QQ-314159")), ORIGINAL);

    assertEquals("QQ-314159", PythonEmail.parse(notice).get("ds0.original-envelope-id"));
  }

  @Test
  void retHdrsReturnsOnlyTheHeaderSection() throws Exception {
    byte[] notice =
        compose(failure("joe@example.org", Map.of(Envelope.ATTR_RET, "hdrs")), ORIGINAL);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("text/rfc822-headers", py.get("part2.type"));
    assertEquals("Undelivered Message Headers", py.get("part2.description"));
    assertEquals(ORIGINAL_HEADERS, py.get("returned.text"));

    MimeMultipart mp = (MimeMultipart) jakarta(notice).getContent();
    assertTrue(mp.getBodyPart(2).isMimeType("text/rfc822-headers"));
    assertArrayEquals(ORIGINAL_HEADERS.getBytes(StandardCharsets.US_ASCII), raw(mp, 2));
  }

  @Test
  void originalLargerThanBounceSizeLimitFallsBackToHeaders() throws Exception {
    BounceComposer small = new BounceComposer(HOST, 400, CLOCK);
    String big = ORIGINAL_HEADERS + "\n" + "x".repeat(70).concat("\n").repeat(20);

    byte[] notice =
        small.compose(
            DsnReport.of(
                QID,
                envelope("joe@example.org", Map.of()),
                DsnReport.Kind.FAILURE,
                List.of(smtpFailure(new Recipient("ann@example.net")))),
            stream(big));

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("text/rfc822-headers", py.get("part2.type"));
    assertEquals(ORIGINAL_HEADERS, py.get("returned.text"));
    assertFalse(new String(notice, StandardCharsets.US_ASCII).contains("xxxxxxxxxx"));
  }

  @Test
  void originalOfExactlyTheLimitIsReturnedWhole() throws Exception {
    BounceComposer exact = new BounceComposer(HOST, ORIGINAL.length(), CLOCK);

    byte[] notice =
        exact.compose(
            DsnReport.of(
                QID,
                envelope("joe@example.org", Map.of()),
                DsnReport.Kind.FAILURE,
                List.of(smtpFailure(new Recipient("ann@example.net")))),
            stream(ORIGINAL));

    MimeMultipart mp = (MimeMultipart) jakarta(notice).getContent();
    assertTrue(mp.getBodyPart(2).isMimeType("message/rfc822"));
    assertArrayEquals(ORIGINAL.getBytes(StandardCharsets.US_ASCII), raw(mp, 2));
  }

  @Test
  void returnedMessageIsTheOriginalByteForByte() throws Exception {
    byte[] notice = compose(failure("joe@example.org", Map.of()), ORIGINAL);

    MimeMultipart mp = (MimeMultipart) jakarta(notice).getContent();
    assertArrayEquals(ORIGINAL.getBytes(StandardCharsets.US_ASCII), raw(mp, 2));
  }

  @Test
  void eightBitOriginalIsDeclaredEightBitAndKeptIntact() throws Exception {
    String original = ORIGINAL_HEADERS + "\nGrüße aus Köln\n";
    byte[] bytes = original.getBytes(StandardCharsets.UTF_8);

    byte[] notice =
        composer.compose(failure("joe@example.org", Map.of()), new ByteArrayInputStream(bytes));

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("8bit", py.get("content-transfer-encoding"));
    assertEquals("message/rfc822", py.get("part2.type"));
    assertEquals("8bit", py.get("part2.cte"));
    assertEquals("Grüße aus Köln\n", py.get("returned.body"));
    assertEquals("0", py.get("defects"));
    MimeMultipart mp = (MimeMultipart) jakarta(notice).getContent();
    assertArrayEquals(bytes, raw(mp, 2));
  }

  @Test
  void sevenBitOriginalNeedsNoEncodingOnTheNotification() throws Exception {
    byte[] notice = compose(failure("joe@example.org", Map.of()), ORIGINAL);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("None", py.get("content-transfer-encoding"));
    assertEquals("7bit", py.get("part2.cte"));
  }

  @Test
  void originalThatIsNotValidEightBitTextFallsBackToHeaders() throws Exception {
    String original = ORIGINAL_HEADERS + "\nnul\0byte and a bare\rcarriage return\n";

    byte[] notice = compose(failure("joe@example.org", Map.of()), original);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("text/rfc822-headers", py.get("part2.type"));
    assertEquals(ORIGINAL_HEADERS, py.get("returned.text"));
    for (byte b : notice) {
      assertFalse(b == 0 || b == '\r', "NUL or CR leaked into the notification");
    }
  }

  @Test
  void delayNoticeWarnsAndCarriesHeadersAndRetryLimit() throws Exception {
    Envelope env = envelope("joe@example.org", Map.of());
    RecipientReport r =
        new RecipientReport(
            new Recipient("ann@example.net"),
            new DsnStatus("4.4.1", "connection timed out"),
            RecipientReport.LOCAL,
            "connect to mx.example.net[192.0.2.1]:25: Connection timed out",
            Optional.empty(),
            NOW.toEpochMilli());
    long until = ARRIVAL + Duration.ofDays(5).toMillis();

    byte[] notice =
        composer.compose(DsnReport.delay(QID, env, List.of(r), until), stream(ORIGINAL));

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("Delayed Mail (still being retried)", py.get("subject"));
    assertEquals("delayed", py.get("ds1.action"));
    assertEquals("4.4.1", py.get("ds1.status"));
    assertEquals("Wed, 6 Mar 2024 07:00:00 +0000", py.get("ds1.will-retry-until"));
    assertEquals("text/rfc822-headers", py.get("part2.type"));
    assertEquals(ORIGINAL_HEADERS, py.get("returned.text"));
    String text = py.get("text");
    assertTrue(text.contains("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND"), text);
    assertTrue(text.contains("could not be delivered for 5 hour(s)."), text);
    assertTrue(text.contains("retried until it is 5 day(s) old."), text);
  }

  @Test
  void successNoticeReportsDelivered() throws Exception {
    Envelope env = envelope("joe@example.org", Map.of());
    RecipientReport r =
        new RecipientReport(
            new Recipient("ann@example.net"),
            new DsnStatus("2.0.0", "delivered"),
            RecipientReport.LOCAL,
            "delivered to mailbox",
            Optional.empty(),
            NOW.toEpochMilli());

    byte[] notice =
        composer.compose(
            DsnReport.of(QID, env, DsnReport.Kind.SUCCESS, List.of(r)), stream(ORIGINAL));

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("Successful Mail Delivery Report", py.get("subject"));
    assertEquals("delivered", py.get("ds1.action"));
    assertEquals("2.0.0", py.get("ds1.status"));
    assertEquals("text/rfc822-headers", py.get("part2.type"));
    assertEquals("Message Headers", py.get("part2.description"));
    assertTrue(py.get("text").contains("successfully delivered"), py.get("text"));
  }

  @Test
  void senderWithUnusualCharactersIsQuotedInToAndEscapedInFields() throws Exception {
    byte[] notice = compose(failure("john \"j\" smith\u0007@example.org", Map.of()), ORIGINAL);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("\"john \\\"j\\\" smith+07\"@example.org", py.get("to.addr"));
    assertEquals("rfc822; john \"j\" smith+07@example.org", py.get("ds0.x-postern-sender"));
    assertEquals("0", py.get("defects"));
    InternetAddress to =
        (InternetAddress) jakarta(notice).getRecipients(Message.RecipientType.TO)[0];
    assertEquals("\"john \\\"j\\\" smith+07\"@example.org", to.getAddress());
  }

  @Test
  void nonAsciiSenderIsWrittenAsUtf8InToAndEscapedInFields() throws Exception {
    byte[] notice = compose(failure("jörg@example.org", Map.of()), ORIGINAL);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("jörg@example.org", py.get("to.addr"));
    assertEquals("rfc822; j+C3+B6rg@example.org", py.get("ds0.x-postern-sender"));
    assertTrue(headerSection(notice).contains("\nTo: <jörg@example.org>\n"));
  }

  @Test
  void unqualifiedSenderIsQualifiedWithMyhostnameInTo() throws Exception {
    byte[] notice = compose(failure("root", Map.of()), ORIGINAL);

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("root@mail.example.org", py.get("to.addr"));
    assertEquals("rfc822; root", py.get("ds0.x-postern-sender"));
  }

  @Test
  void controlCharactersInADiagnosticCannotStartANewField() throws Exception {
    RecipientReport r =
        new RecipientReport(
            new Recipient("ann@example.net"),
            new DsnStatus("5.7.1", "rejected"),
            RecipientReport.SMTP,
            "550 5.7.1 no\r\nAction: delivered\r\n\r\nInjected: yes",
            Optional.of("mx.example.net"),
            NOW.toEpochMilli());
    byte[] notice =
        composer.compose(
            DsnReport.of(
                QID, envelope("joe@example.org", Map.of()), DsnReport.Kind.FAILURE, List.of(r)),
            stream(ORIGINAL));

    Map<String, String> py = PythonEmail.parse(notice);
    assertEquals("2", py.get("ds.groups"));
    assertEquals("failed", py.get("ds1.action"));
    assertNull(py.get("ds1.injected"));
    assertEquals(
        "smtp; 550 5.7.1 no+0D+0AAction: delivered+0D+0A+0D+0AInjected: yes",
        py.get("ds1.diagnostic-code"));
  }

  @Test
  void longDiagnosticIsFoldedIntoValidLines() throws Exception {
    String diagnostic = "550 5.7.1 " + "policy rejection reason ".repeat(20).strip();
    RecipientReport r =
        new RecipientReport(
            new Recipient("ann@example.net"),
            new DsnStatus("5.7.1", "rejected"),
            RecipientReport.SMTP,
            diagnostic + " " + "y".repeat(2000),
            Optional.empty(),
            NOW.toEpochMilli());
    byte[] notice =
        composer.compose(
            DsnReport.of(
                QID, envelope("joe@example.org", Map.of()), DsnReport.Kind.FAILURE, List.of(r)),
            stream(ORIGINAL));

    int longLines = 0;
    for (String line : new String(notice, StandardCharsets.US_ASCII).split("\n")) {
      assertTrue(line.length() <= 998, "line of " + line.length());
      longLines += line.length() > 78 ? 1 : 0;
    }
    assertEquals(2, longLines, "only the unbreakable y-run may pass 78, in part 1 and part 2");
    String code = PythonEmail.parse(notice).get("ds1.diagnostic-code");
    assertTrue(code.startsWith("smtp; " + diagnostic + " yyy"), code);
    assertTrue(code.endsWith("..."), code);
  }

  @Test
  void boundaryIsNeverALineOfTheReturnedMessage() throws Exception {
    long seconds = NOW.getEpochSecond();
    String trap =
        ORIGINAL_HEADERS + "\n--" + QID + "." + seconds + "/" + HOST + "\nstill the body\n";

    byte[] notice = compose(failure("joe@example.org", Map.of()), trap);

    MimeMultipart mp = (MimeMultipart) jakarta(notice).getContent();
    assertEquals(3, mp.getCount());
    assertArrayEquals(trap.getBytes(StandardCharsets.US_ASCII), raw(mp, 2));
    assertEquals("3", PythonEmail.parse(notice).get("parts"));
  }

  @Test
  void nullSenderIsNeverNotified() {
    DsnReport report = failure("", Map.of());

    assertThrows(IllegalArgumentException.class, () -> composer.compose(report, stream(ORIGINAL)));
  }

  @Test
  void unreadableOriginalIsATemporaryFailure() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk on fire");
          }
        };

    TempFailException e =
        assertThrows(
            TempFailException.class,
            () -> composer.compose(failure("joe@example.org", Map.of()), broken));
    assertEquals("4.3.0", e.status().code());
  }

  @Test
  void notificationRoundTripsThroughAQueueFile(@TempDir Path dir) throws Exception {
    Envelope env = envelope("joe@example.org", Map.of());
    Path queued = dir.resolve(QID.value());
    byte[] original = ORIGINAL.getBytes(StandardCharsets.US_ASCII);
    QueueFileWriter.write(queued, QueueDirectory.FILE_MODE, env, out -> out.write(original));
    QueueFile qf = QueueFileReader.read(queued);

    byte[] notice;
    try (InputStream content = qf.openContent()) {
      notice = composer.compose(failure("joe@example.org", Map.of()), content);
    }
    Envelope bounceEnv =
        new Envelope(
            NOW.toEpochMilli(), 0, "postern", "", List.of(new Recipient(env.sender())), Map.of());
    Path bounce = dir.resolve("0TP1J8DER2H006H2");
    QueueFileWriter.write(bounce, QueueDirectory.FILE_MODE, bounceEnv, out -> out.write(notice));

    byte[] stored;
    try (InputStream content = QueueFileReader.read(bounce).openContent()) {
      stored = content.readAllBytes();
    }
    assertArrayEquals(notice, stored);
    MimeMultipart mp = (MimeMultipart) jakarta(stored).getContent();
    assertArrayEquals(original, raw(mp, 2));
  }

  private byte[] compose(DsnReport report, String original) throws Exception {
    return composer.compose(report, stream(original));
  }

  private static DsnReport failure(String sender, Map<String, String> attributes) {
    return DsnReport.of(
        QID,
        envelope(sender, attributes),
        DsnReport.Kind.FAILURE,
        List.of(smtpFailure(new Recipient("ann@example.net"))));
  }

  private static RecipientReport smtpFailure(Recipient r) {
    return new RecipientReport(
        r,
        new DsnStatus("5.1.1", "user unknown"),
        RecipientReport.SMTP,
        "550 5.1.1 <" + r.address() + ">: User unknown",
        Optional.of("mx.example.net"),
        NOW.toEpochMilli());
  }

  private static Envelope envelope(String sender, Map<String, String> attributes) {
    return new Envelope(
        ARRIVAL,
        1000,
        "joe",
        sender,
        List.of(new Recipient("ann@example.net")),
        new HashMap<>(attributes));
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Parsed with a fresh, default Session: what any Jakarta Mail reader would see. */
  private static MimeMessage jakarta(byte[] notice) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(notice));
  }

  private static byte[] raw(MimeMultipart mp, int index) throws Exception {
    try (InputStream in = ((MimeBodyPart) mp.getBodyPart(index)).getRawInputStream()) {
      return in.readAllBytes();
    }
  }

  private static String headerSection(byte[] notice) {
    String s = new String(notice, StandardCharsets.UTF_8);
    return "\n" + s.substring(0, s.indexOf("\n\n") + 1);
  }
}
