package org.postern.compat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.engine.posix.SystemUsers;
import org.postern.maps.hash.HashTable;

class MigrateVerbTest {
  /** The fixture trees the Bats suite uses too: an old MTA's files under a root. */
  private static final Path FIXTURES = Path.of("../tests/fixtures/migrate");

  @TempDir Path root;

  private CommandRun migrate(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "migrate";
    System.arraycopy(args, 0, full, 1, args.length);
    return CommandRun.of(Map.of(), new SystemUsers(), full);
  }

  private void copyFixture(String mta) throws IOException {
    Path from = FIXTURES.resolve(mta);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = root.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** The output with the temp root and today's date as the golden files write them. */
  private String normalized(String output) {
    return output.replace(root.toString(), "ROOT")
        .replace(LocalDate.now(ZoneOffset.UTC).toString(), "DATE");
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = MigrateVerbTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void dryRunOfPostfixPrintsMainCfAndReport() throws Exception {
    copyFixture("postfix");
    CommandRun r = migrate("--root", root.toString(), "--dry-run");
    assertEquals("", r.err());
    assertEquals(0, r.exit());
    assertEquals(golden("migrate-postfix.expected"), normalized(r.out()));
  }

  @Test
  void dryRunOfEximPrintsMainCfAndReport() throws Exception {
    copyFixture("exim");
    CommandRun r = migrate("--root", root.toString(), "--dry-run");
    assertEquals("", r.err());
    assertEquals(0, r.exit());
    assertEquals(golden("migrate-exim.expected"), normalized(r.out()));
  }

  @Test
  void dryRunWritesNothing() throws Exception {
    copyFixture("postfix");
    assertEquals(0, migrate("--root", root.toString(), "--dry-run").exit());
    assertFalse(Files.exists(root.resolve("etc/postern")));
  }

  @Test
  void writesMainCfAndCompiledTablesPosternReads() throws Exception {
    copyFixture("postfix");
    assertEquals(0, migrate("--root", root.toString()).exit());
    Path etc = root.resolve("etc/postern");
    Config config = Config.load(etc);
    assertEquals("[smarthost.example.net]:587", config.get(Params.RELAYHOST));
    assertEquals("25, 587", config.get(Params.SMTPD_LISTEN));
    assertEquals("encrypt", config.forListener(587).get(Params.SMTPD_TLS_SECURITY_LEVEL));
    assertEquals("hash:" + etc.resolve("sasl_passwd"),
        config.get(Params.SMTP_SASL_PASSWORD_MAPS));
    try (HashTable t = HashTable.open(etc.resolve("sasl_passwd.db"), "sasl_passwd")) {
      assertEquals(Optional.of("relayuser:S3cretPass"), t.lookup("[smarthost.example.net]:587"));
    }
    try (HashTable t = HashTable.open(etc.resolve("virtual.db"), "virtual")) {
      assertEquals(Optional.of("%1@example.org"), t.lookup("@catchall.example"));
    }
    try (HashTable t = HashTable.open(etc.resolve("transport.db"), "transport")) {
      assertEquals(Optional.of("smtp:[mx.partner.example]"), t.lookup(".partner.example"));
      assertEquals(Optional.of("error:5.0.0:550 this domain is gone"), t.lookup("gone.example"));
    }
    try (HashTable t = HashTable.open(root.resolve("etc/aliases.db"), "aliases")) {
      assertEquals(Optional.of("admin@example.org"), t.lookup("root"));
    }
    assertEquals("rw-r-----", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(etc.resolve("sasl_passwd"))));
    assertEquals("rw-r-----", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(etc.resolve("sasl_passwd.db"))));
  }

  @Test
  void neverPrintsASecret() throws Exception {
    copyFixture("exim");
    CommandRun dry = migrate("--root", root.toString(), "--dry-run");
    CommandRun real = migrate("--root", root.toString());
    for (String output : new String[] {dry.out(), dry.err(), real.out(), real.err()}) {
      assertFalse(output.contains("S3cret"), output);
      assertFalse(output.contains("OtherPass"), output);
    }
    assertEquals("[smarthost.example.net]:587 relayuser:S3cret:Pass\n",
        Files.readString(root.resolve("etc/postern/sasl_passwd")));
  }

  @Test
  void runningAgainChangesNothing() throws Exception {
    copyFixture("postfix");
    CommandRun first = migrate("--root", root.toString());
    Path mainCf = root.resolve("etc/postern/main.cf");
    String text = Files.readString(mainCf);
    CommandRun second = migrate("--root", root.toString());
    assertEquals(text, Files.readString(mainCf));
    assertEquals(first.out(), second.out());
    assertEquals(1, text.split("# --- postern migrate from", -1).length - 1);
  }

  @Test
  void keepsTheAdministratorsSettingsAndReplacesThePackagedOnes() throws Exception {
    copyFixture("postfix");
    Path etc = Files.createDirectories(root.resolve("etc/postern"));
    // The packaged main.cf, with one line of the administrator's after it.
    String packaged = Files.readString(Path.of("../etc/main.cf"));
    Files.writeString(etc.resolve("main.cf"), packaged + "message_size_limit = 5000000\n");
    CommandRun r = migrate("--root", root.toString());
    assertEquals(0, r.exit());
    String text = Files.readString(etc.resolve("main.cf"));
    assertTrue(text.contains("# replaced by postern migrate: smtpd_listen = 127.0.0.1:25,"
        + " 127.0.0.1:587\n"), text);
    assertTrue(text.contains("\nmessage_size_limit = 5000000\n"), text);
    assertFalse(text.contains("message_size_limit = 20480000"), text);
    assertTrue(r.out().contains(":" + (packaged.lines().count() + 1)
        + " message_size_limit = 5000000 (/etc/postfix/main.cf:35 gives 20480000)"), r.out());
    Config config = Config.load(etc);
    assertEquals("25, 587", config.get(Params.SMTPD_LISTEN));
    assertEquals("5000000", config.get(Params.MESSAGE_SIZE_LIMIT));
    assertEquals("/var/spool/postern", config.get(Params.QUEUE_DIRECTORY));
  }

  @Test
  void severalMtasWithoutFromIsAUsageError() throws Exception {
    copyFixture("postfix");
    copyFixture("exim");
    CommandRun r = migrate("--root", root.toString());
    assertEquals(64, r.exit());
    assertEquals("postern: migrate: configurations of several MTAs under " + root
        + ": postfix, exim (choose one with --from)\n"
        + "usage: postern migrate [--from sendmail|postfix|exim] [--root DIR] [--dry-run]\n",
        r.err());
    assertEquals(0, migrate("--root", root.toString(), "--from", "exim", "--dry-run").exit());
  }

  @Test
  void noOldMtaIsNothingToDo() {
    CommandRun r = migrate("--root", root.toString());
    assertEquals(0, r.exit());
    assertEquals("postern migrate: no sendmail, postfix or exim configuration under " + root
        + ": nothing to do\n", r.out());
    assertFalse(Files.exists(root.resolve("etc/postern")));
  }

  @Test
  void fromAnMtaThatIsNotThereIsNoInput() {
    CommandRun r = migrate("--root", root.toString(), "--from", "postfix");
    assertEquals(66, r.exit());
    assertEquals("postern: migrate: no postfix configuration under " + root + "\n", r.err());
  }

  @Test
  void aLoginWrittenInPostfixsMainCfIsNeitherCopiedNorPrinted() throws Exception {
    Path postfix = Files.createDirectories(root.resolve("etc/postfix"));
    Files.writeString(postfix.resolve("main.cf"), String.join("\n",
        "relayhost = [smarthost.example.net]:587",
        "smtp_sasl_auth_enable = yes",
        "smtp_sasl_password_maps = static:relayuser:Hidden0ne",
        "forward_path = $home/.forward${recipient_delimiter}${extension}, $home/.forward",
        "recipient_delimiter = +",
        ""));
    CommandRun r = migrate("--root", root.toString());
    assertEquals(0, r.exit());
    String mainCf = Files.readString(root.resolve("etc/postern/main.cf"));
    assertFalse(r.out().contains("Hidden0ne"), r.out());
    assertFalse(mainCf.contains("Hidden0ne"), mainCf);
    assertTrue(r.out().contains("/etc/postfix/main.cf:3 smtp_sasl_password_maps holds a login in"
        + " main.cf itself (static:): not carried; put it in /etc/postern/sasl_passwd\n"), r.out());
    assertTrue(mainCf.contains(
        "\nforward_path = $home/.forward${recipient_delimiter}${extension}, $home/.forward\n"),
        mainCf);
  }

  @Test
  void aPostfixSatelliteListensOnLoopbackOnly() throws Exception {
    Path postfix = Files.createDirectories(root.resolve("etc/postfix"));
    Files.writeString(postfix.resolve("main.cf"),
        "inet_interfaces = loopback-only\ninet_protocols = all\n");
    Files.writeString(postfix.resolve("master.cf"), String.join("\n",
        "smtp      inet  n       -       y       -       -       smtpd",
        "#submission inet n       -       y       -       -       smtpd",
        "#  -o syslog_name=postfix/submission",
        "pickup    unix  n       -       y       60      1       pickup",
        ""));
    CommandRun r = migrate("--root", root.toString());
    assertEquals(0, r.exit());
    assertEquals("127.0.0.1:25",
        Config.load(root.resolve("etc/postern")).get(Params.SMTPD_LISTEN));
    assertTrue(r.out().contains("  /etc/postfix/main.cf:1 inet_interfaces = loopback-only:"
        + " Postern listens on 127.0.0.1, not on IPv6's ::1\n"), r.out());
  }

  @Test
  void anEximSatelliteHasNoLocalDomainsAndShowsTheReadhost() throws Exception {
    Path exim = Files.createDirectories(root.resolve("etc/exim4"));
    Files.writeString(exim.resolve("update-exim4.conf.conf"), String.join("\n",
        "dc_eximconfig_configtype='satellite'",
        "dc_local_interfaces='127.0.0.1 ; ::1'",
        "dc_readhost='example.org'",
        "dc_smarthost='smarthost.example.net'",
        "dc_hide_mailname='true'",
        "dc_localdelivery='mail_spool'",
        "dc_something_new='x'",
        ""));
    CommandRun r = migrate("--root", root.toString());
    assertEquals(0, r.exit());
    Config config = Config.load(root.resolve("etc/postern"));
    assertEquals("", config.get(Params.MYDESTINATION));
    assertEquals("example.org", config.get(Params.MYORIGIN));
    assertEquals("[smarthost.example.net]", config.get(Params.RELAYHOST));
    assertEquals("127.0.0.1:25", config.get(Params.SMTPD_LISTEN));
    assertEquals("", config.get(Params.SMTP_SASL_PASSWORD_MAPS));
    assertTrue(r.out().contains("  /etc/exim4/update-exim4.conf.conf:7 dc_something_new = x:"
        + " no Postern equivalent: not used\n"), r.out());
  }
}
