package org.postern.engine.smtpd;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.postern.engine.queue.Envelope;

/**
 * Checks the ESMTP parameters of MAIL FROM (SIZE, RFC 1870; BODY, RFC 6152; RET and ENVID,
 * RFC 3461; SMTPUTF8, RFC 6531) and RCPT TO (NOTIFY and ORCPT, RFC 3461) and turns them into
 * the envelope's attributes.
 *
 * <p>Parses untrusted client text; anything unknown or malformed is a {@link RefusedCommand}
 * with Postfix's reply. Stateless.
 */
final class EsmtpParameters {
  /** What a MAIL FROM's parameters ask for. */
  record Mail(Map<String, String> attributes, boolean smtputf8) {}

  /** What a RCPT TO's parameters ask for: the NOTIFY list as the queue stores it, ORCPT. */
  record Rcpt(String notifyList, Optional<String> original) {}

  private EsmtpParameters() {}

  static Mail mail(Map<String, String> params, boolean esmtp, long sizeLimit)
      throws RefusedCommand {
    Map<String, String> attrs = new java.util.HashMap<>();
    boolean utf8 = false;
    for (Map.Entry<String, String> p : params.entrySet()) {
      String value = p.getValue();
      if (!esmtp) {
        throw unsupported(p.getKey());
      }
      switch (p.getKey()) {
        case "SIZE" -> {
          if (!value.matches("\\d{1,18}")) {
            throw new RefusedCommand(String.format(Replies.BAD_PARAMETER, "SIZE"));
          }
          if (Long.parseLong(value) > sizeLimit) {
            throw new RefusedCommand(Replies.SIZE_EXCEEDS);
          }
        }
        case "BODY" -> {
          String body = value.toUpperCase(Locale.ROOT);
          if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
            throw new RefusedCommand(String.format(Replies.BAD_PARAMETER, "BODY"));
          }
          attrs.put(Envelope.ATTR_BODY, body);
        }
        case "RET" -> {
          String ret = value.toLowerCase(Locale.ROOT);
          if (!ret.equals("full") && !ret.equals("hdrs")) {
            throw new RefusedCommand(String.format(Replies.BAD_PARAMETER, "RET"));
          }
          attrs.put(Envelope.ATTR_RET, ret);
        }
        case "ENVID" -> attrs.put(Envelope.ATTR_ENVID, PathArgument.xtext(value)
            .filter(v -> !v.isEmpty() && v.length() <= 100)
            .orElseThrow(() -> new RefusedCommand(String.format(Replies.BAD_PARAMETER, "ENVID"))));
        case "SMTPUTF8" -> {
          if (!value.isEmpty()) {
            throw new RefusedCommand(String.format(Replies.BAD_PARAMETER, "SMTPUTF8"));
          }
          utf8 = true;
        }
        default -> throw unsupported(p.getKey());
      }
    }
    return new Mail(attrs, utf8);
  }

  static Rcpt rcpt(Map<String, String> params, boolean esmtp) throws RefusedCommand {
    String notify = "";
    Optional<String> original = Optional.empty();
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (!esmtp) {
        throw unsupported(p.getKey());
      }
      switch (p.getKey()) {
        case "NOTIFY" -> notify = notify(p.getValue());
        case "ORCPT" -> original = Optional.of(orcpt(p.getValue()));
        default -> throw unsupported(p.getKey());
      }
    }
    return new Rcpt(notify, original);
  }

  /** RFC 3461 §4.1: NEVER alone, or SUCCESS, FAILURE, DELAY; stored lower-case, sorted. */
  private static String notify(String value) throws RefusedCommand {
    RefusedCommand bad = new RefusedCommand(String.format(Replies.BAD_PARAMETER, "NOTIFY"));
    String v = value.toLowerCase(Locale.ROOT);
    if (v.equals("never")) {
      return v;
    }
    TreeSet<String> kinds = new TreeSet<>();
    for (String item : v.split(",", -1)) {
      if (!item.equals("success") && !item.equals("failure") && !item.equals("delay")) {
        throw bad;
      }
      kinds.add(item);
    }
    return String.join(",", kinds);
  }

  /** RFC 3461 §4.2: {@code addr-type ";" xtext}; the address is kept, decoded. */
  private static String orcpt(String value) throws RefusedCommand {
    RefusedCommand bad = new RefusedCommand(String.format(Replies.BAD_PARAMETER, "ORCPT"));
    int semi = value.indexOf(';');
    if (semi <= 0) {
      throw bad;
    }
    String type = value.substring(0, semi).toLowerCase(Locale.ROOT);
    String address = value.substring(semi + 1);
    Optional<String> decoded = type.equals("rfc822") ? PathArgument.xtext(address)
        : type.equals("utf-8") ? Optional.of(address).filter(a -> a.chars().allMatch(c -> c > 0x20))
        : Optional.empty();
    return decoded.filter(a -> !a.isEmpty()).orElseThrow(() -> bad);
  }

  private static RefusedCommand unsupported(String keyword) {
    return new RefusedCommand(String.format(Replies.UNSUPPORTED_OPTION, keyword));
  }
}
