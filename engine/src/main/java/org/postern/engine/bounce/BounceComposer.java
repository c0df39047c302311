package org.postern.engine.bounce;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.bounce.ReturnedContent.Transfer;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;

/**
 * Composes a delivery status notification (RFC 3464 inside an RFC 6522 multipart/report) in
 * Postfix's form: a text part, the delivery-status part, and the original message or only its
 * headers. The result is complete message content with LF line ends, ready to be queued with the
 * null envelope sender for the original envelope sender.
 *
 * <p>Trusts the queue's envelope; escapes everything in it that reaches a header or field. Refuses
 * to notify the null sender (never bounce a bounce). Reads at most bounce_size_limit bytes of the
 * original. Failing to read the original is temporary (4.3.0). Thread-safe.
 */
public final class BounceComposer {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int MAX_BOUNDARY_BASE = 60;

  private final String myhostname;
  private final int bounceSizeLimit;
  private final Clock clock;
  private final NotificationText text;
  private final DeliveryStatusWriter statusWriter;

  /**
   * @param bounceSizeLimit most bytes of the original to return (Postfix bounce_size_limit); a
   *     larger original is returned as its headers only
   */
  public BounceComposer(String myhostname, long bounceSizeLimit, Clock clock) {
    if (myhostname.isEmpty()) {
      throw new IllegalArgumentException("myhostname is empty");
    }
    if (bounceSizeLimit < 1 || bounceSizeLimit > Integer.MAX_VALUE - 1) {
      throw new IllegalArgumentException("bounce_size_limit out of range: " + bounceSizeLimit);
    }
    this.myhostname = myhostname;
    this.bounceSizeLimit = (int) bounceSizeLimit;
    this.clock = clock;
    this.text = new NotificationText(myhostname);
    this.statusWriter = new DeliveryStatusWriter(myhostname, clock.getZone());
  }

  /**
   * The notification for {@code report}; {@code original} is the queued message content (LF line
   * ends), of which at most bounce_size_limit + 1 bytes are read.
   *
   * @throws IllegalArgumentException if the envelope sender is the null sender
   * @throws TempFailException (4.3.0) if the original cannot be read
   */
  public byte[] compose(DsnReport report, InputStream original) throws TempFailException {
    if (report.envelope().isNullSender()) {
      throw new IllegalArgumentException(report.queueId() + ": never notify the null sender");
    }
    ReturnedContent content;
    try {
      content = ReturnedContent.read(original, bounceSizeLimit);
    } catch (IOException e) {
      throw new TempFailException(
          "4.3.0", report.queueId() + ": cannot read message for notification: " + e, e);
    }
    long now = clock.millis();
    List<ReportMessage.Part> parts = parts(report, content, now);
    // The returned message decides whether the notification is 8-bit (RFC 2045 §6.4).
    Optional<String> topEncoding =
        parts.get(parts.size() - 1).encoding().filter(e -> e.equals("8bit"));
    String boundary = report.queueId() + "." + now / 1000 + "/" + myhostname;
    if (boundary.length() > MAX_BOUNDARY_BASE) {
      boundary = boundary.substring(0, MAX_BOUNDARY_BASE);
    }
    try {
      return ReportMessage.write(
          headers(report, now), messageId(report, now), parts, boundary, topEncoding);
    } catch (MessagingException e) {
      throw new TempFailException(
          "4.3.0", report.queueId() + ": cannot compose notification: " + e.getMessage(), e);
    }
  }

  private List<ReportMessage.Part> parts(DsnReport report, ReturnedContent content, long now) {
    List<ReportMessage.Part> parts = new ArrayList<>();
    parts.add(
        new ReportMessage.Part(
            "text/plain; charset=us-ascii",
            "Notification",
            Optional.empty(),
            ascii(text.write(report, now))));
    parts.add(
        new ReportMessage.Part(
            "message/delivery-status",
            "Delivery report",
            Optional.empty(),
            ascii(statusWriter.write(report))));
    returnedPart(report, content).ifPresent(parts::add);
    return parts;
  }

  private Map<String, String> headers(DsnReport report, long now) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Date", FieldText.date(now, clock.getZone()));
    headers.put("From", "Mail Delivery System <MAILER-DAEMON@" + myhostname + ">");
    headers.put("Subject", report.kind().subject());
    headers.put("To", SenderAddress.toHeader(report.envelope().sender(), myhostname));
    // RFC 3834 §5: a notification is an automatic response, not to be answered in kind.
    headers.put("Auto-Submitted", "auto-replied");
    return headers;
  }

  // Unique per message, notice kind and millisecond: <stamp.QUEUEID.F@myhostname>.
  private String messageId(DsnReport report, long now) {
    String stamp = STAMP.format(Instant.ofEpochMilli(now));
    char kind = report.kind().name().charAt(0);
    return "<" + stamp + "." + report.queueId() + "." + kind + "@" + myhostname + ">";
  }

  /**
   * The original as message/rfc822 when it may and can be returned whole, else its header section
   * as text/rfc822-headers, else nothing (RFC 6522 §3: the third part is optional).
   */
  private Optional<ReportMessage.Part> returnedPart(DsnReport report, ReturnedContent content) {
    // RFC 3461 §4.3: RET concerns failed mail; delay and success notices carry headers only,
    // as Postfix's do.
    boolean full =
        report.kind() == DsnReport.Kind.FAILURE
            && !report.envelope().attribute(Envelope.ATTR_RET).equalsIgnoreCase("hdrs");
    if (full && content.isComplete()) {
      byte[] whole = content.whole();
      Transfer t = ReturnedContent.transfer(whole);
      if (t != Transfer.UNSAFE) {
        // RFC 2046 §5.2.1: message/rfc822 may be 7bit or 8bit, never base64; so 8-bit
        // content is declared 8bit here and on the enclosing message.
        return Optional.of(
            new ReportMessage.Part("message/rfc822", "Undelivered Message", encoding(t), whole));
      }
    }
    byte[] headers = content.headers();
    Transfer t = ReturnedContent.transfer(headers);
    if (headers.length == 0 || t == Transfer.UNSAFE) {
      return Optional.empty();
    }
    String description =
        report.kind() == DsnReport.Kind.FAILURE ? "Undelivered Message Headers" : "Message Headers";
    return Optional.of(
        new ReportMessage.Part("text/rfc822-headers", description, encoding(t), headers));
  }

  private static Optional<String> encoding(Transfer t) {
    return t == Transfer.EIGHT_BIT ? Optional.of("8bit") : Optional.of("7bit");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
