package org.postern.maps.authinfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The value of one entry of sendmail's authinfo map (cf/README, "AuthInfo"): quoted items
 * {@code "U:user"} (authorization id), {@code "I:authid"} (authentication id),
 * {@code "P:password"} or {@code "P=base64"}, {@code "R:realm"} and {@code "M:MECH ..."}, as in
 * {@code AuthInfo:smtp.example "U:me" "P:secret" "M:PLAIN"}. U or I, and P, are required; a
 * missing I is U, as sendmail takes it.
 *
 * <p>Parsed from a table the admin wrote; a malformed value is an {@link AuthInfoException}
 * whose message never contains the password. Immutable; {@link #toString} hides the password.
 */
public record AuthInfoEntry(
    String authorizationId,
    String authenticationId,
    String password,
    Optional<String> realm,
    List<String> mechanisms) {

  /** The key prefix of every entry ({@code AuthInfo:host}, {@code AuthInfo:} the default). */
  public static final String KEY_PREFIX = "AuthInfo:";

  public AuthInfoEntry {
    mechanisms = List.copyOf(mechanisms);
  }

  /** Reads a value in sendmail's syntax. */
  public static AuthInfoEntry parse(String value) throws AuthInfoException {
    String user = null;
    String authId = null;
    String password = null;
    String realm = null;
    List<String> mechs = new ArrayList<>();
    for (String item : items(value)) {
      if (item.length() < 2 || item.charAt(1) != ':' && item.charAt(1) != '=') {
        throw new AuthInfoException("bad item \"" + shown(item) + "\": expected \"U:user\","
            + " \"I:authid\", \"P:password\", \"R:realm\" or \"M:mechanisms\"");
      }
      char what = Character.toUpperCase(item.charAt(0));
      boolean encoded = item.charAt(1) == '=';
      String text = item.substring(2);
      if (encoded && what != 'P') {
        throw new AuthInfoException("bad item \"" + shown(item) + "\": only P= is base64");
      }
      switch (what) {
        case 'U' -> user = text;
        case 'I' -> authId = text;
        case 'P' -> password = encoded ? decode(text) : text;
        case 'R' -> realm = text;
        case 'M' -> {
          for (String m : text.strip().split("[\\s,]+")) {
            if (!m.isEmpty()) {
              mechs.add(m.toUpperCase(Locale.ROOT));
            }
          }
        }
        default -> throw new AuthInfoException("unknown item \"" + what + ":\": expected U, I,"
            + " P, R or M");
      }
    }
    if (user == null && authId == null) {
      throw new AuthInfoException("missing \"U:user\" (or \"I:authid\")");
    }
    if (password == null) {
      throw new AuthInfoException("missing \"P:password\"");
    }
    String authn = authId != null ? authId : user;
    String authz = user != null ? user : authId;
    return new AuthInfoEntry(authz, authn, password, Optional.ofNullable(realm), mechs);
  }

  /** The items between double quotes; anything outside them but blanks is an error. */
  private static List<String> items(String value) throws AuthInfoException {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c != '"') {
        throw new AuthInfoException("items must be in double quotes, as \"U:user\" \"P:password\"");
      }
      int end = value.indexOf('"', i + 1);
      if (end < 0) {
        throw new AuthInfoException("unbalanced '\"'");
      }
      out.add(value.substring(i + 1, end));
      i = end + 1;
    }
    if (out.isEmpty()) {
      throw new AuthInfoException("empty value: expected \"U:user\" \"P:password\"");
    }
    return out;
  }

  private static String decode(String base64) throws AuthInfoException {
    try {
      return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AuthInfoException("\"P=\" is not base64");
    }
  }

  /** An item as an error may show it: a password item never. */
  private static String shown(String item) {
    return Character.toUpperCase(item.charAt(0)) == 'P' ? "P..." : item;
  }

  @Override
  public String toString() {
    return "AuthInfoEntry[" + authenticationId + ", password hidden, mechanisms=" + mechanisms
        + "]";
  }
}
