package org.postern.maps.virtual;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.access.SmtpReply;

/**
 * sendmail's virtusertable ({@code /etc/mail/virtusertable}) over any {@link Table}: the key
 * forms and order of cf/m4/proto.m4 ruleset Parse1, {@code %n} substitution as sendmail's
 * map_rewrite does it, and {@code error:} results. The recipient delimiter is {@code +}.
 *
 * <p>Trusts the caller to apply it only to domains in {@code $=w} or {@code $={VirtHost}}
 * and to feed an {@link VirtualResult.Address} result through address rewriting again (as
 * sendmail recurses). Trusts table values no further than their syntax: an unknown sysexits
 * name is {@code unavailable}. A table failure is a {@link LookupException} (temporary),
 * never "not found". Owns nothing; thread-safe if the table is.
 */
public final class VirtualUserTable {
  private static final Pattern ERROR_DSN =
      Pattern.compile("(?s)\\s*([245]\\.\\d{1,3}\\.\\d{1,3})\\s*:(.*\\S.*)");
  private static final Pattern SMTP_CODE = Pattern.compile("[45]\\d\\d");
  private static final String ERROR = "error:";

  private final Table table;

  public VirtualUserTable(Table table) {
    this.table = table;
  }

  /**
   * Looks up one envelope recipient {@code local@domain}. Keys, in order (proto.m4 Parse1):
   * {@code user+detail@domain}; when the local part has a {@code +} after a non-empty user:
   * {@code user++@domain} (only if the detail is non-empty), {@code user+*@domain},
   * {@code user@domain}, {@code ++@domain} (non-empty detail), {@code +*@domain},
   * {@code @domain}; without a {@code +}: {@code @domain}. Keys are lower case.
   *
   * <p>Substitution arguments: {@code %0} the key; for the exact key {@code %1} is the whole
   * local part and {@code %2}/{@code %3} are empty (sendmail passes only one argument there);
   * for every {@code +} form {@code %1} = user, {@code %2} = detail, {@code %3} =
   * {@code +detail}; for {@code @domain} without a {@code +}, {@code %1} = local part.
   * Arguments keep the address's case. An address without {@code @} is not looked up.
   */
  public VirtualLookup lookup(String address) throws LookupException {
    List<String> tried = new ArrayList<>();
    for (Probe probe : probes(address)) {
      String key = probe.args().get(0).toLowerCase(Locale.ROOT);
      tried.add(key);
      Optional<String> value = table.lookup(key).filter(v -> !v.isBlank());
      if (value.isPresent()) {
        VirtualResult result = interpret(rewrite(value.get(), probe.args()));
        return new VirtualLookup(tried, Optional.of(key), value, result);
      }
    }
    return new VirtualLookup(
        tried, Optional.empty(), Optional.empty(), new VirtualResult.NotFound());
  }

  /** One key to try with its map arguments: index 0 is the key itself ({@code %0}). */
  private record Probe(List<String> args) {}

  private static List<Probe> probes(String address) {
    String a = address.trim();
    if (a.startsWith("<") && a.endsWith(">")) {
      a = a.substring(1, a.length() - 1).trim();
    }
    int at = a.lastIndexOf('@');
    String domain = at < 0 ? "" : a.substring(at + 1).replaceAll("\\.+$", "");
    if (at <= 0 || domain.isEmpty()) {
      return List.of();
    }
    String local = a.substring(0, at);
    String dom = "@" + domain;
    List<Probe> probes = new ArrayList<>();
    probes.add(new Probe(List.of(local + dom, local)));
    int plus = local.indexOf('+');
    if (plus <= 0) {
      probes.add(new Probe(List.of(dom, local)));
      return probes;
    }
    // proto.m4 "$+ + $*": user before the first '+', detail (maybe empty) after it.
    String user = local.substring(0, plus);
    String detail = local.substring(plus + 1);
    List<String> args = List.of(user, detail, "+" + detail);
    if (!detail.isEmpty()) {
      probes.add(probe(user + "++" + dom, args));
    }
    probes.add(probe(user + "+*" + dom, args));
    probes.add(probe(user + dom, args));
    if (!detail.isEmpty()) {
      probes.add(probe("++" + dom, args));
    }
    probes.add(probe("+*" + dom, args));
    probes.add(probe(dom, args));
    return probes;
  }

  private static Probe probe(String key, List<String> args) {
    List<String> all = new ArrayList<>(args.size() + 1);
    all.add(key);
    all.addAll(args);
    return new Probe(List.copyOf(all));
  }

  /**
   * sendmail's map_rewrite: {@code %n} is argument n (nothing if absent), {@code %%} is
   * {@code %}, and {@code %} before anything else stays as written.
   */
  static String rewrite(String value, List<String> args) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '%' || i + 1 == value.length()) {
        out.append(c);
        continue;
      }
      char next = value.charAt(++i);
      if (next == '%') {
        out.append('%');
      } else if (next >= '0' && next <= '9') {
        int n = next - '0';
        if (n < args.size()) {
          out.append(args.get(n));
        }
      } else {
        out.append('%').append(next);
      }
    }
    return out.toString();
  }

  /** A value as the error mailer reads it ({@code error:...}, also in aliases) or an address. */
  public static VirtualResult interpret(String value) {
    String v = value.trim();
    if (!v.toLowerCase(Locale.ROOT).startsWith(ERROR)) {
      return new VirtualResult.Address(v);
    }
    String rest = v.substring(ERROR.length());
    Matcher m = ERROR_DSN.matcher(rest);
    if (m.matches()) {
      // proto.m4: error:D.S.N:text -> $#error $@ D.S.N $: text
      return new VirtualResult.Error(SmtpReply.fromErrorText(m.group(2), Optional.of(m.group(1))));
    }
    String[] nameAndText = rest.trim().split("\\s+", 2);
    String name = SmtpReply.stripQuotes(nameAndText[0]);
    String text = nameAndText.length > 1 ? nameAndText[1] : "";
    if (SMTP_CODE.matcher(name).matches()) {
      // Deviation: sendmail would take "550" as an exit status and send 553 5.3.0 with the
      // rest; "error:550 text" plainly means the reply 550.
      return new VirtualResult.Error(SmtpReply.fromErrorText(rest, Optional.empty()));
    }
    return new VirtualResult.Error(named(ErrorName.of(name), SmtpReply.stripQuotes(text).trim()));
  }

  /** error:NAME text: the text's own reply code if any, else the name's reply. */
  private static SmtpReply named(ErrorName name, String text) {
    SmtpReply standard = name.reply();
    return SmtpReply.coded(text, Optional.of(standard.dsn()))
        .orElseGet(() -> new SmtpReply(
            standard.code(), standard.dsn(), text.isEmpty() ? standard.text() : text));
  }
}
