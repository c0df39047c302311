package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.engine.global.Params;

/**
 * Carries the essentials of a frozen sendmail.cf, for a server without its .mc: {@code Dj}
 * (myhostname), class w ({@code Cw}, {@code Fw}: mydestination), class R (relay_domains),
 * {@code DS} (the smart host, its port from the mailer's {@code A=TCP $h PORT}), {@code DM}
 * (masquerading), the {@code K} maps (access, virtuser, mailertable, authinfo, generics),
 * the options MaxMessageSize, DaemonPortOptions, PrivacyOptions, MaxHopCount, AliasFile,
 * the server certificate, and the local mailer ({@code Mlocal}'s {@code P=} and {@code A=}).
 * Rules are not read: masquerading features and hand-written rules need a look, which the
 * report asks.
 *
 * <p>Trusts nothing in the file. One instance per reading.
 */
final class CfReader {
  private static final Pattern MAILER_PATH = Pattern.compile("\\bP=([^,\\s]+)");
  private static final Pattern MAILER_ARGS = Pattern.compile("\\bA=(.*)$");

  /** One logical line (continuations joined) and where it starts. */
  private record Line(String text, String origin) {}

  private final Path root;
  private final String file;
  private final Migration.Builder out;
  private final Map<String, Line> macros = new LinkedHashMap<>();
  private final Map<String, List<Line>> options = new LinkedHashMap<>();
  private final Map<String, Line> mailers = new LinkedHashMap<>();
  private final Map<String, Line> maps = new LinkedHashMap<>();
  private final Map<Character, List<Line>> classes = new LinkedHashMap<>();

  private CfReader(Path root, String file, Migration.Builder out) {
    this.root = root;
    this.file = file;
    this.out = out;
  }

  static void read(Path root, String file, Migration.Builder out) throws IOException {
    CfReader r = new CfReader(root, file, out);
    r.scan(Files.readAllLines(SendmailReader.under(root, file), StandardCharsets.ISO_8859_1));
    r.carry();
  }

  /** Sorts each logical line by its command letter. */
  private void scan(List<String> physical) {
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < physical.size(); i++) {
      String text = physical.get(i);
      if (!lines.isEmpty() && !text.isEmpty() && (text.charAt(0) == ' '
          || text.charAt(0) == '\t')) {
        Line last = lines.remove(lines.size() - 1);
        lines.add(new Line(last.text() + " " + text.strip(), last.origin()));
      } else if (!text.isEmpty() && text.charAt(0) != '#') {
        lines.add(new Line(text, file + ":" + (i + 1)));
      }
    }
    for (Line l : lines) {
      String body = l.text().substring(1);
      switch (l.text().charAt(0)) {
        case 'D' -> macros.put(body.isEmpty() ? "" : body.substring(0, 1),
            new Line(body.substring(Math.min(1, body.length())), l.origin()));
        case 'O' -> option(body, l.origin());
        case 'M' -> mailers.put(body.split("[,\\s]", 2)[0], l);
        case 'K' -> maps.put(body.split("\\s", 2)[0], new Line(body, l.origin()));
        case 'C', 'F' -> classes.computeIfAbsent(body.isEmpty() ? ' ' : body.charAt(0),
            k -> new ArrayList<>()).add(new Line(l.text(), l.origin()));
        default -> { }
      }
    }
  }

  private void option(String body, String origin) {
    int eq = body.indexOf('=');
    if (eq > 0) {
      options.computeIfAbsent(body.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(new Line(body.substring(eq + 1).strip(), origin));
    }
  }

  private void carry() throws IOException {
    Optional.ofNullable(macros.get("j")).ifPresent(l -> {
      if (l.text().contains("$")) {
        out.decide(l.origin(), "Dj is " + l.text()
            + " (sendmail macros): set myhostname to the name it gives");
      } else {
        out.carry(Params.MYHOSTNAME.name(), l.text(), l.origin());
      }
    });
    out.carry(Params.MYORIGIN.name(), "$myhostname", file);
    // Always written: the packaged mydestination has $myorigin, which class w lacks.
    Optional<Line> w = classMembers('w');
    out.carry(Params.MYDESTINATION.name(), "$myhostname, localhost.$mydomain, "
        + w.map(l -> l.text() + ", ").orElse("") + "localhost",
        w.map(Line::origin).orElse(file + " (class w: the host's own names)"));
    classMembers('R').ifPresent(r -> out.carry(Params.RELAY_DOMAINS.name(), r.text(),
        r.origin()));
    relaying();
    boolean serverTls = serverTls();
    List<Listeners.Spec> specs = options.getOrDefault("DaemonPortOptions", List.of()).stream()
        .map(l -> new Listeners.Spec(l.text(), l.origin())).toList();
    Listeners.carry(specs, false, file, serverTls, out);
    Optional<Line> size = option("MaxMessageSize");
    out.carry(Params.MESSAGE_SIZE_LIMIT.name(), size.map(Line::text).orElse("0"),
        size.map(Line::origin).orElse(file + " (no MaxMessageSize)"));
    option("MaxHopCount").ifPresent(l -> out.carry(Params.HOPCOUNT_LIMIT.name(), l.text(),
        l.origin()));
    option("PrivacyOptions").ifPresent(l -> PrivacyFlags.carry(l.text(), l.origin(), out));
    option("AliasFile").ifPresent(l -> AliasFiles.carry(root, l.text(), l.origin(), out));
    table("access", Params.ACCESS_MAP.name());
    table("virtuser", Params.VIRTUSERTABLE_MAP.name());
    table("mailertable", Params.MAILERTABLE_MAP.name());
    masquerade();
    localMailer();
    out.decide(file, "no sendmail.mc: only the essentials of the frozen sendmail.cf were read"
        + " (rules, masquerading features and most options were not): compare by hand");
  }

  private void relaying() throws IOException {
    Optional<Line> ds = Optional.ofNullable(macros.get("S")).filter(l -> !l.text().isBlank());
    Optional<SmartHost> host = ds.flatMap(l -> SmartHost.parse(l.text()));
    Optional<Integer> port = host.map(h -> mailers.get(h.mailer())).flatMap(this::mailerArgs)
        .flatMap(SmartHost::port);
    Optional<String> authinfo = Optional.ofNullable(maps.get("authinfo"))
        .map(l -> SendmailReader.mapFile(l.text(), "/etc/mail/authinfo"));
    Optional<String> access = Optional.ofNullable(maps.get("access"))
        .map(l -> SendmailReader.mapFile(l.text(), "/etc/mail/access"));
    RelayMapping.carry(root, new RelayMapping.Sources(host, port,
        ds.map(Line::origin).orElse(file), authinfo, access), out);
  }

  private boolean serverTls() {
    Optional<Line> cert = option("ServerCertFile");
    cert.ifPresent(c -> {
      out.carry(Params.SMTPD_TLS_CERT_FILE.name(),
          SendmailReader.under(root, c.text()).toString(), c.origin());
      option("ServerKeyFile").ifPresent(k ->
          out.carry(Params.SMTPD_TLS_KEY_FILE.name(),
              SendmailReader.under(root, k.text()).toString(), k.origin()));
      out.carry(Params.SMTPD_TLS_SECURITY_LEVEL.name(), "may", c.origin());
      out.decide(c.origin(), "the daemon reads the certificate and key as mail_owner:"
          + " give its group read access to them (sendmail read them as root)");
    });
    return cert.isPresent();
  }

  private void table(String map, String parameter) {
    Line k = maps.get(map);
    out.carry(parameter, k == null ? ""
        : "hash:" + SendmailReader.under(root,
            SendmailReader.mapFile(k.text(), "/etc/mail/" + map)),
        k == null ? file + " (no K" + map + ")" : k.origin());
  }

  /**
   * DM: masquerade_domains and myorigin, sendmail's default classes (sender headers), and
   * class w's names outside the masquerade as a canonical table (see MasqueradeMapping).
   */
  private void masquerade() throws IOException {
    Optional<Line> dm = Optional.ofNullable(macros.get("M")).filter(l -> !l.text().isBlank());
    if (dm.isPresent()) {
      String domain = dm.get().text();
      String origin = dm.get().origin();
      out.carry(Params.MASQUERADE_DOMAINS.name(), domain, origin);
      out.carry(Params.MYORIGIN.name(), domain, origin);
      out.carry(Params.MASQUERADE_CLASSES.name(), "header_sender", origin);
      List<String> lines = new ArrayList<>();
      for (String name : classMembers('w').map(l -> l.text().split(", ")).orElse(new String[0])) {
        if (!name.equals(domain) && !name.endsWith("." + domain)) {
          lines.add("@" + name + " @" + domain);
        }
      }
      if (!lines.isEmpty()) {
        out.table(new MigratedTable(MasqueradeMapping.MASQUERADE_TABLE, lines, false, origin));
        out.carry(Params.CANONICAL_MAPS.name(), "hash:"
            + SendmailReader.posternTable(root, MasqueradeMapping.MASQUERADE_TABLE), origin);
        out.carry(Params.CANONICAL_CLASSES.name(), "header_sender", origin);
      }
    }
    Line generics = maps.get("generics");
    if (generics != null) {
      String name = SendmailReader.mapFile(generics.text(), "/etc/mail/genericstable");
      SendmailMap map = SendmailMap.read(root, name);
      out.table(new MigratedTable(MasqueradeMapping.GENERICS_TABLE,
          SendmailMap.lines(map.entries()), false, name));
      out.carry(Params.SMTP_GENERIC_MAPS.name(), "hash:"
          + SendmailReader.posternTable(root, MasqueradeMapping.GENERICS_TABLE), generics.origin());
    }
  }

  private void localMailer() {
    Line local = mailers.get("local");
    if (local == null) {
      return;
    }
    Matcher p = MAILER_PATH.matcher(local.text());
    Optional<String> args = mailerArgs(local);
    if (!p.find() || args.isEmpty()) {
      return;
    }
    LocalMailer mailer = new LocalMailer(p.group(1), args.get());
    LocalMailer.Outcome outcome = mailer.translate(root);
    outcome.command().ifPresent(c ->
        out.carry(Params.MAILBOX_COMMAND.name(), c, local.origin()));
    outcome.problem().ifPresent(msg -> out.notCarried(local.origin(),
        "local mailer " + mailer.path(), msg + "; mail goes to the spool mailbox"));
  }

  private Optional<String> mailerArgs(Line mailer) {
    if (mailer == null) {
      return Optional.empty();
    }
    Matcher a = MAILER_ARGS.matcher(mailer.text());
    return a.find() ? Optional.of(a.group(1).strip()) : Optional.empty();
  }

  private Optional<Line> option(String name) {
    List<Line> lines = options.getOrDefault(name, List.of());
    return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
  }

  /** The members of a class ({@code Cw} words, {@code Fw} files), comma joined. */
  private Optional<Line> classMembers(char name) throws IOException {
    Set<String> members = new LinkedHashSet<>();
    String origin = "";
    for (Line l : classes.getOrDefault(name, List.of())) {
      String body = l.text().substring(2);
      if (l.text().charAt(0) == 'C') {
        members.addAll(MasqueradeMapping.words(body));
      } else {
        ClassFile f = ClassFile.read(root, SendmailReader.mapFile(body, body.strip()));
        members.addAll(f.words());
      }
      origin = origin.isEmpty() ? l.origin() : origin;
    }
    members.removeIf(m -> m.startsWith("[") || m.equals("localhost"));
    return members.isEmpty() ? Optional.empty()
        : Optional.of(new Line(String.join(", ", members), origin));
  }
}
