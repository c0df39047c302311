package org.postern.engine.bounce;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Assembles a multipart/report message (RFC 6522) with Jakarta Mail from ready-made parts and
 * writes it out with LF line ends, the queue's form.
 *
 * <p>Trusts its caller for header values and part bodies; checks only that the boundary occurs in
 * no body, lengthening it until it does not. Each part's body is stored as raw bytes and written
 * verbatim, and the multipart writes itself, so no mailcap content handler is ever looked up and no
 * byte of a returned message is re-encoded. Uses one shared transport-less Session; every call
 * builds its own message, so this is thread-safe.
 */
final class ReportMessage {
  /** One body part: its Content-Type, Content-Description, optional encoding, raw body. */
  record Part(String contentType, String description, Optional<String> encoding, byte[] body) {}

  private static final Session SESSION = Session.getInstance(sessionProperties());

  private ReportMessage() {}

  private static Properties sessionProperties() {
    Properties p = new Properties();
    // RFC 6532: a non-ASCII sender address is written as UTF-8, not squashed to Latin-1.
    p.setProperty("mail.mime.allowutf8", "true");
    return p;
  }

  /** The session to parse notifications back with (tests, tools). */
  static Session session() {
    return SESSION;
  }

  /**
   * The message with {@code headers} in order, then MIME-Version, Content-Type (with {@code
   * boundaryBase} or a longer boundary) and {@code topEncoding}, then the parts.
   */
  static byte[] write(
      Map<String, String> headers,
      String messageId,
      List<Part> parts,
      String boundaryBase,
      Optional<String> topEncoding)
      throws MessagingException {
    String boundary = boundaryBase;
    for (int n = 1; occursIn(("--" + boundary).getBytes(StandardCharsets.US_ASCII), parts); n++) {
      boundary = boundaryBase + "." + n;
    }
    MimeMultipart multipart =
        new ReportMultipart(
            "multipart/report; report-type=delivery-status;\r\n\tboundary=\"" + boundary + "\"");
    // RFC 2046 §5.1.1: the preamble, for readers that do not know MIME.
    multipart.setPreamble("This is a MIME-encapsulated message.\r\n\r\n");
    for (Part p : parts) {
      multipart.addBodyPart(bodyPart(p));
    }

    MimeMessage message = new NotificationMessage(SESSION, messageId);
    message.setDataHandler(new SelfWritingMultipart(multipart));
    multipart.setParent(message);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      message.setHeader(h.getKey(), h.getValue());
    }
    if (topEncoding.isPresent()) {
      message.setHeader("Content-Transfer-Encoding", topEncoding.get());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      message.writeTo(out);
    } catch (IOException e) {
      throw new MessagingException("cannot write notification to memory", e);
    }
    return toLf(out.toByteArray());
  }

  private static MimeBodyPart bodyPart(Part p) throws MessagingException {
    InternetHeaders h = new InternetHeaders();
    h.setHeader("Content-Description", p.description());
    h.setHeader("Content-Type", p.contentType());
    if (p.encoding().isPresent()) {
      h.setHeader("Content-Transfer-Encoding", p.encoding().get());
    }
    return new MimeBodyPart(h, p.body());
  }

  private static boolean occursIn(byte[] needle, List<Part> parts) {
    for (Part p : parts) {
      byte[] hay = p.body();
      outer:
      for (int i = 0; i + needle.length <= hay.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (hay[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
    }
    return false;
  }

  /**
   * Jakarta writes CRLF; the queue holds LF. Bodies never hold a CR (ReturnedContent refuses them),
   * so every CRLF here is Jakarta's own and turning it into LF loses nothing.
   */
  private static byte[] toLf(byte[] crlf) {
    ByteArrayOutputStream lf = new ByteArrayOutputStream(crlf.length);
    for (int i = 0; i < crlf.length; i++) {
      if (crlf[i] == '\r' && i + 1 < crlf.length && crlf[i + 1] == '\n') {
        continue;
      }
      lf.write(crlf[i]);
    }
    return lf.toByteArray();
  }

  /** A multipart with our own Content-Type, so the boundary is chosen, not random. */
  private static final class ReportMultipart extends MimeMultipart {
    ReportMultipart(String contentType) {
      this.contentType = contentType;
    }
  }

  /** The message's own Message-ID instead of one built from the local host name. */
  private static final class NotificationMessage extends MimeMessage {
    private final String messageId;

    NotificationMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }

  /** Writes the multipart directly: no content handler lookup through mailcap. */
  private static final class SelfWritingMultipart extends DataHandler {
    private final MimeMultipart multipart;

    SelfWritingMultipart(MimeMultipart multipart) {
      super(multipart, multipart.getContentType());
      this.multipart = multipart;
    }

    @Override
    public void writeTo(OutputStream os) throws IOException {
      try {
        multipart.writeTo(os);
      } catch (MessagingException e) {
        throw new IOException("cannot write multipart/report", e);
      }
    }
  }
}
