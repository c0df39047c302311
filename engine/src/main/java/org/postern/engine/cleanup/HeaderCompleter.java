package org.postern.engine.cleanup;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Builds the headers cleanup adds to a message (spec a.7): Received for a local submission
 * (an SMTP message carries smtpd's already); X-Authentication-Warning when an untrusted user
 * set the sender; Date, From and Message-ID when missing (and Resent-Date/-From/-Message-ID
 * for a resent message). No To: is ever added.
 *
 * <p>Trusts its inputs to be validated addresses; the full name comes from the user and is
 * stripped of line breaks and encoded (RFC 2047) when not ASCII. Stateless.
 */
public final class HeaderCompleter {
  static final DateTimeFormatter RFC5322_DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z (zzz)", Locale.ROOT);
  private static final DateTimeFormatter MESSAGE_ID_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

  /** What the completer needs to know about one submission. */
  public record Facts(
      String queueId,
      String myhostname,
      int uid,
      String login,
      String sender,
      String fullName,
      List<String> recipients,
      boolean untrustedSenderSet,
      boolean gateway,
      boolean addReceived,
      ZonedDateTime now) {}

  private HeaderCompleter() {}

  /** The headers to put in front of the message's own, in order. */
  public static List<Header> complete(HeaderSection section, Facts f) {
    List<Header> added = new ArrayList<>();
    if (f.addReceived()) {
      // RFC 5321 §4.4: the trace header goes first.
      String forClause =
          f.recipients().size() == 1 ? "\n\tfor <" + f.recipients().get(0) + ">" : "";
      added.add(
          received(
              "by " + f.myhostname() + " (Postern, from userid " + f.uid() + ")\n\tid "
                  + f.queueId() + forClause + "; " + f.now().format(RFC5322_DATE)));
    }
    if (f.untrustedSenderSet()) {
      String who = f.sender().isEmpty() ? "<>" : f.sender();
      added.add(
          Header.of(
              "X-Authentication-Warning",
              f.myhostname() + ": " + f.login() + " set sender to " + who + " using -f"));
    }
    if (f.gateway()) {
      return added; // -G: a relayed message is passed on without completion
    }
    boolean resent = section.hasNameStartingWith("Resent-");
    String prefix = resent ? "Resent-" : "";
    if (!section.has(prefix + "Date")) {
      added.add(Header.of(prefix + "Date", f.now().format(RFC5322_DATE)));
    }
    if (!section.has(prefix + "From")) {
      added.add(Header.of(prefix + "From", fromValue(f)));
    }
    if (!section.has(prefix + "Message-ID")) {
      added.add(Header.of(prefix + "Message-ID", messageId(f)));
    }
    return added;
  }

  /** The Message-ID cleanup assigns: {@code <YYYYMMDDhhmmss.QUEUEID@myhostname>}. */
  public static String messageId(Facts f) {
    return "<" + f.now().format(MESSAGE_ID_STAMP) + "." + f.queueId() + "@" + f.myhostname() + ">";
  }

  /** A trace header folded by hand where {@code value} has "\n\t" (Header.of refuses those). */
  private static Header received(String value) {
    byte[] raw = ("Received: " + value + "\n").getBytes(StandardCharsets.UTF_8);
    return new Header("Received", value.replace("\n\t", " "), raw);
  }

  private static String fromValue(Facts f) {
    String address = f.sender().isEmpty() ? "MAILER-DAEMON@" + f.myhostname() : f.sender();
    String name = f.fullName().replaceAll("[\\r\\n\\t]+", " ").strip();
    if (name.isEmpty()) {
      return address;
    }
    return displayName(name) + " <" + address + ">";
  }

  /** RFC 5322 §3.2.5 phrase: an atom sequence as is, else quoted; non-ASCII per RFC 2047. */
  static String displayName(String name) {
    boolean ascii = name.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    if (!ascii) {
      return "=?UTF-8?B?"
          + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8))
          + "?=";
    }
    if (name.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+")) {
      return name;
    }
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
