package org.postern.engine.smtp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a server said about itself in its EHLO reply (RFC 5321 §4.1.1.1): the name it gave and
 * the service extensions this client uses: PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME
 * (RFC 6152), DSN (RFC 3461), SMTPUTF8 (RFC 6531), STARTTLS (RFC 3207), and AUTH (RFC 4954)
 * with its mechanisms, upper case, every AUTH line's (also the old {@code AUTH=} form). A HELO
 * session has none.
 *
 * <p>Parsed from untrusted text: unknown keywords are ignored and a SIZE value that is not a
 * number means no announced limit. Immutable.
 */
record ServerFeatures(
    String serverName,
    boolean esmtp,
    boolean pipelining,
    boolean size,
    long sizeLimit,
    boolean eightBitMime,
    boolean dsn,
    boolean smtputf8,
    boolean starttls,
    boolean auth,
    List<String> authMechanisms) {

  ServerFeatures {
    authMechanisms = List.copyOf(authMechanisms);
  }

  static ServerFeatures ofHelo(SmtpReply reply) {
    return new ServerFeatures(firstWord(reply), false, false, false, 0, false, false, false,
        false, false, List.of());
  }

  static ServerFeatures ofEhlo(SmtpReply reply) {
    boolean pipelining = false;
    boolean size = false;
    long sizeLimit = 0;
    boolean eightBit = false;
    boolean dsn = false;
    boolean utf8 = false;
    boolean starttls = false;
    boolean auth = false;
    Set<String> mechanisms = new LinkedHashSet<>();
    for (String line : reply.lines().subList(1, reply.lines().size())) {
      if (line.length() <= 4 || line.substring(4).isBlank()) {
        continue;
      }
      String[] words = line.substring(4).strip().split("[ \t=]+");
      switch (words[0].toUpperCase(Locale.ROOT)) {
        case "PIPELINING" -> pipelining = true;
        case "SIZE" -> {
          size = true;
          if (words.length > 1 && words[1].matches("\\d{1,18}")) {
            sizeLimit = Long.parseLong(words[1]);
          }
        }
        case "8BITMIME" -> eightBit = true;
        case "DSN" -> dsn = true;
        case "SMTPUTF8" -> utf8 = true;
        case "STARTTLS" -> starttls = true;
        case "AUTH" -> {
          auth = true;
          for (int i = 1; i < words.length; i++) {
            mechanisms.add(words[i].toUpperCase(Locale.ROOT));
          }
        }
        default -> {
          // An extension this client does not use.
        }
      }
    }
    // Postfix smtp_proto.c: a server that offers SMTPUTF8 but not 8BITMIME takes 8-bit anyway.
    eightBit |= utf8;
    return new ServerFeatures(
        firstWord(reply), true, pipelining, size, sizeLimit, eightBit, dsn, utf8, starttls, auth,
        List.copyOf(mechanisms));
  }

  private static String firstWord(SmtpReply reply) {
    String first = reply.lines().get(0);
    String rest = first.length() > 4 ? first.substring(4).strip() : "";
    int end = rest.indexOf(' ');
    return end < 0 ? rest : rest.substring(0, end);
  }
}
