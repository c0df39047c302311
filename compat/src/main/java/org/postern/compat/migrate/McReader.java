package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Params;

/**
 * Carries a sendmail.mc into a migration: names (confDOMAIN_NAME, class w), relaying (class
 * R, smart host, logins, TLS), listeners (DAEMON_OPTIONS), limits, the sendmail tables
 * (access_db, virtusertable, mailertable), trusted users, PrivacyOptions, the local mailer
 * and masquerading; each feature with a Postern parameter is carried, every other macro the
 * .mc sets is reported as not carried over. Debian's defaults (ostype/debian.m4: the class
 * files under /etc/mail, sensible-mda as local mailer) apply under {@code OSTYPE(`debian')}.
 *
 * <p>Trusts nothing in the .mc or the files it names. One instance per reading.
 */
final class McReader {
  static final String LOCAL_HOST_NAMES = "/etc/mail/local-host-names";

  private final Path root;
  private final McDefinitions mc;
  private final Migration.Builder out;
  private final String file;
  private final boolean debian;

  private McReader(Path root, McDefinitions mc, String file, Migration.Builder out) {
    this.root = root;
    this.mc = mc;
    this.file = file;
    this.out = out;
    this.debian = mc.calls("OSTYPE").stream().anyMatch(c -> c.arg(0).equals("debian"));
  }

  static void read(Path root, McDefinitions mc, String file, Migration.Builder out)
      throws IOException {
    new McReader(root, mc, file, out).read();
  }

  private void read() throws IOException {
    List<String> localNames = names();
    relaying();
    boolean serverTls = serverTls();
    List<Listeners.Spec> listeners = mc.calls("DAEMON_OPTIONS").stream()
        .map(c -> new Listeners.Spec(c.arg(0), c.origin())).toList();
    Listeners.carry(listeners, mc.feature("no_default_msa").isEmpty(), file, serverTls, out);
    limits();
    tables();
    trustedUsers();
    mc.value("confPRIVACY_FLAGS").ifPresent(flags ->
        PrivacyFlags.carry(flags, mc.define("confPRIVACY_FLAGS").get().origin(), out));
    localMailer();
    mc.define("ALIAS_FILE").ifPresent(c -> AliasFiles.carry(root, c.arg(1), c.origin(), out));
    MasqueradeMapping.carry(root, mc, localNames, out);
    new McFeatures(mc, out).carry();
  }

  /**
   * myhostname ($j), myorigin, and mydestination from class w; returns class w's names,
   * $j among them when the .mc names it.
   */
  private List<String> names() throws IOException {
    mc.define("confDOMAIN_NAME").ifPresent(c -> {
      if (c.arg(1).contains("$")) {
        out.decide(c.origin(), "confDOMAIN_NAME is " + c.arg(1)
            + " (sendmail macros): set myhostname to the name it gives");
      } else {
        out.carry(Params.MYHOSTNAME.name(), c.arg(1), c.origin());
      }
    });
    // sendmail qualifies local addresses with $j, never with /etc/mailname.
    out.carry(Params.MYORIGIN.name(), "$myhostname", file);
    Set<String> names = new LinkedHashSet<>();
    String origin = "";
    if (mc.feature("use_cw_file").isPresent() || debian) {
      ClassFile cw = ClassFile.read(root, classFile("confCW_FILE", LOCAL_HOST_NAMES));
      names.addAll(cw.words());
      origin = cw.members().isEmpty() ? "" : cw.origin();
    }
    McDefinitions.Members local = mc.members(root, "LOCAL_DOMAIN");
    names.addAll(local.words());
    origin = origin.isEmpty() ? local.origin() : origin;
    names.removeIf(n -> n.startsWith("["));
    // Always written: the packaged mydestination has $myorigin, which sendmail's class w
    // lacks (a masquerade domain is not local unless listed).
    List<String> dest = new ArrayList<>(List.of("$myhostname", "localhost.$mydomain"));
    dest.addAll(names);
    dest.add("localhost");
    out.carry(Params.MYDESTINATION.name(), String.join(", ", new LinkedHashSet<>(dest)),
        origin.isEmpty() ? file + " (class w: the host's own names)" : origin);
    mc.value("confDOMAIN_NAME").filter(n -> !n.contains("$")).ifPresent(names::add);
    return List.copyOf(names);
  }

  /** Class R (relay_domains), then the smart host with its logins and TLS. */
  private void relaying() throws IOException {
    List<String> relay = new ArrayList<>();
    String origin = "";
    // proto.m4 reads class R from relay-domains (confCR_FILE) whatever the features.
    ClassFile cr = ClassFile.read(root, classFile("confCR_FILE", "/etc/mail/relay-domains"));
    relay.addAll(cr.words());
    origin = cr.members().isEmpty() ? "" : cr.origin();
    McDefinitions.Members more = mc.members(root, "RELAY_DOMAIN");
    relay.addAll(more.words());
    origin = origin.isEmpty() ? more.origin() : origin;
    if (!relay.isEmpty()) {
      out.carry(Params.RELAY_DOMAINS.name(), String.join(", ", relay), origin);
      out.decide(origin, "sendmail also relayed for clients whose host name is in "
          + String.join(", ", relay) + ": add their networks to mynetworks if they send");
    }
    Optional<McCall> smart = mc.define("SMART_HOST");
    Optional<SmartHost> host = smart.flatMap(c -> SmartHost.parse(c.arg(1)));
    Optional<Integer> port = host.flatMap(h -> mc.value(h.argsMacro())).flatMap(SmartHost::port);
    Optional<String> authinfo = mc.feature("authinfo")
        .map(c -> SendmailReader.mapFile(c.arg(1), "/etc/mail/authinfo"));
    RelayMapping.carry(root, new RelayMapping.Sources(host, port,
        smart.map(McCall::origin).orElse(file), authinfo, accessFile()), out);
  }

  /** The access map's source when FEATURE(access_db) is on. */
  private Optional<String> accessFile() {
    return mc.feature("access_db").map(c -> SendmailReader.mapFile(c.arg(1), "/etc/mail/access"));
  }

  /** The server certificate (confSERVER_CERT/KEY): smtpd's; whether STARTTLS is offered. */
  private boolean serverTls() {
    Optional<McCall> cert = mc.define("confSERVER_CERT");
    if (cert.isEmpty()) {
      return false;
    }
    out.carry(Params.SMTPD_TLS_CERT_FILE.name(),
        SendmailReader.under(root, cert.get().arg(1)).toString(), cert.get().origin());
    mc.define("confSERVER_KEY").ifPresent(k ->
        out.carry(Params.SMTPD_TLS_KEY_FILE.name(),
            SendmailReader.under(root, k.arg(1)).toString(), k.origin()));
    out.carry(Params.SMTPD_TLS_SECURITY_LEVEL.name(), "may", cert.get().origin());
    out.decide(cert.get().origin(), "the daemon reads the certificate and key as mail_owner:"
        + " give its group read access to them (sendmail read them as root)");
    return true;
  }

  /** confMAX_MESSAGE_SIZE (none: no limit, as sendmail), hops, recipients, queue times. */
  private void limits() {
    Optional<McCall> size = mc.define("confMAX_MESSAGE_SIZE");
    if (size.isPresent() && size.get().arg(1).matches("[0-9]+")) {
      out.carry(Params.MESSAGE_SIZE_LIMIT.name(), size.get().arg(1), size.get().origin());
    } else if (size.isEmpty()) {
      out.carry(Params.MESSAGE_SIZE_LIMIT.name(), "0", file + " (no confMAX_MESSAGE_SIZE)");
    }
    number("confMAX_HOP", Params.HOPCOUNT_LIMIT.name());
    // Debian's domain/debian-mta.m4 raises sendmail's 25 hops to 100 unless the .mc says.
    mc.calls("DOMAIN").stream().filter(c -> c.arg(0).equals("debian-mta")).findFirst()
        .filter(c -> mc.define("confMAX_HOP").isEmpty())
        .ifPresent(c -> out.carry(Params.HOPCOUNT_LIMIT.name(), "100", c.origin()));
    number("confMAX_RCPTS_PER_MESSAGE", Params.SMTPD_RECIPIENT_LIMIT.name());
    duration("confTO_QUEUERETURN", Params.MAXIMAL_QUEUE_LIFETIME.name());
    duration("confTO_QUEUERETURN", Params.BOUNCE_QUEUE_LIFETIME.name());
    duration("confTO_QUEUEWARN", Params.DELAY_WARNING_TIME.name());
  }

  private void number(String macro, String parameter) {
    mc.define(macro).filter(c -> c.arg(1).matches("[0-9]+"))
        .ifPresent(c -> out.carry(parameter, c.arg(1), c.origin()));
  }

  /** A sendmail time with one unit ({@code 5d}) reads the same in main.cf. */
  private void duration(String macro, String parameter) {
    mc.define(macro).filter(c -> c.arg(1).matches("[0-9]+[smhdw]?"))
        .ifPresent(c -> out.carry(parameter, c.arg(1), c.origin()));
  }

  /** The tables sendmail consults only with their FEATURE; without it Postern must not. */
  private void tables() {
    table("access_db", Params.ACCESS_MAP.name(), "/etc/mail/access");
    table("virtusertable", Params.VIRTUSERTABLE_MAP.name(), "/etc/mail/virtusertable");
    table("mailertable", Params.MAILERTABLE_MAP.name(), "/etc/mail/mailertable");
  }

  private void table(String feature, String parameter, String defaultFile) {
    Optional<McCall> call = mc.feature(feature);
    if (call.isEmpty()) {
      out.carry(parameter, "", file + " (no FEATURE(" + feature + "))");
    } else if (!call.get().arg(1).isEmpty() && !call.get().arg(1).contains("/")) {
      out.notCarried(call.get().origin(), "FEATURE(" + feature + ", " + call.get().arg(1) + ")",
          "Postern reads hash: tables only: the " + feature + " is not consulted");
      out.carry(parameter, "", call.get().origin());
    } else {
      out.carry(parameter, "hash:"
          + SendmailReader.under(root, SendmailReader.mapFile(call.get().arg(1), defaultFile)),
          call.get().origin());
    }
  }

  /** confTRUSTED_USERS and class t's file (Debian: /etc/mail/trusted-users). */
  private void trustedUsers() throws IOException {
    Set<String> users = new LinkedHashSet<>(List.of("root", "$mail_owner"));
    String origin = "";
    Optional<McCall> def = mc.define("confTRUSTED_USERS");
    if (def.isPresent()) {
      users.addAll(MasqueradeMapping.words(def.get().arg(1)));
      origin = def.get().origin();
    }
    if (debian || mc.feature("use_ct_file").isPresent()) {
      ClassFile ct = ClassFile.read(root, classFile("confCT_FILE", "/etc/mail/trusted-users"));
      users.addAll(ct.words());
      origin = origin.isEmpty() && !ct.members().isEmpty() ? ct.origin() : origin;
    }
    if (users.size() > 2) {
      out.carry(Params.TRUSTED_USERS.name(), String.join(", ", users), origin);
    }
  }

  /** The local mailer: FEATURE(local_procmail), LOCAL_MAILER_PATH, or Debian's sensible-mda. */
  private void localMailer() {
    Optional<McCall> procmail = mc.feature("local_procmail");
    Optional<McCall> path = mc.define("LOCAL_MAILER_PATH");
    LocalMailer mailer;
    String origin;
    if (procmail.isPresent()) {
      String program = procmail.get().arg(1).isEmpty()
          ? mc.value("PROCMAIL_MAILER_PATH").orElse(debian ? "/usr/bin/procmail"
              : "/usr/local/bin/procmail")
          : procmail.get().arg(1);
      // feature/local_procmail.m4's default (cf/README still shows an older -Y).
      String args = procmail.get().arg(2).isEmpty() ? "procmail -a $h -d $u"
          : procmail.get().arg(2);
      mailer = new LocalMailer(program, args);
      origin = procmail.get().origin();
    } else if (path.isPresent()) {
      mailer = new LocalMailer(path.get().arg(1),
          mc.value("LOCAL_MAILER_ARGS").orElse("mail -d $u"));
      origin = path.get().origin();
    } else if (debian) {
      mailer = new LocalMailer("/usr/sbin/sensible-mda", "sensible-mda $g $u $h ${client_addr}");
      origin = mc.calls("OSTYPE").get(0).origin() + " (Debian's local mailer sensible-mda)";
    } else {
      return;
    }
    LocalMailer.Outcome outcome = mailer.translate(root);
    outcome.command().ifPresent(c -> out.carry(Params.MAILBOX_COMMAND.name(), c, origin));
    outcome.problem().ifPresent(p -> out.notCarried(origin, "local mailer " + mailer.path(),
        p + "; mail goes to the spool mailbox"));
  }

  /** A class file named by a define (Debian: {@code -o /etc/mail/x %[^\#]}) or the default. */
  private String classFile(String macro, String defaultFile) {
    for (String word : mc.value(macro).orElse(defaultFile).split("\\s+")) {
      if (word.startsWith("/")) {
        return word;
      }
    }
    return defaultFile;
  }
}
