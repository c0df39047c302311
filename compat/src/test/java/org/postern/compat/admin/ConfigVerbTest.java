package org.postern.compat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Params;
import org.postern.engine.posix.SystemUsers;

class ConfigVerbTest {
  @TempDir Path dir;
  private String typoWarning;

  @BeforeEach
  void writeMainCf() throws Exception {
    Files.writeString(dir.resolve("main.cf"), String.join("\n",
        "# a test instance",
        "root = " + dir,
        "queue_directory = queue",
        "mail_spool_directory = mail",
        "myhostname = mx.example.org",
        "myorigin = $mydomain",
        "mydestinaton = x",
        "alias_maps = hash:aliases, hash:/etc/aliases",
        "local_users_file = users",
        ""));
    typoWarning = "postern: warning: " + dir.resolve("main.cf")
        + ", line 7: unused parameter: mydestinaton=x\n";
  }

  private CommandRun config(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "-C";
    full[1] = dir.toString();
    full[2] = "config";
    System.arraycopy(args, 0, full, 3, args.length);
    return CommandRun.of(Map.of(), new SystemUsers(), full);
  }

  private static String hostName() throws Exception {
    return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII)
        .strip();
  }

  @Test
  void printsEachNamedValueExpandedOnItsOwnLine() {
    CommandRun r = config("myorigin", "myhostname", "message_size_limit");

    assertEquals(0, r.exit());
    assertEquals("example.org\nmx.example.org\n10240000\n", r.out());
  }

  @Test
  void printsPathsResolvedAgainstRoot() {
    CommandRun r = config("root", "queue_directory", "mail_spool_directory",
        "local_users_file", "maillog_file", "alias_maps", "alias_database");

    assertEquals(0, r.exit());
    assertEquals(String.join("\n",
        dir.toString(),
        dir.resolve("queue").toString(),
        dir.resolve("mail").toString(),
        dir.resolve("users").toString(),
        "/var/log/postern.log",
        "hash:" + dir.resolve("aliases") + ", hash:/etc/aliases",
        "hash:/etc/aliases",
        ""), r.out());
  }

  @Test
  void warnsAboutATypoedParameterWithFileAndLine() {
    CommandRun r = config("myhostname");

    assertEquals(0, r.exit());
    assertEquals(typoWarning, r.err());
  }

  @Test
  void warnsAboutAnUnknownNameAndGoesOn() {
    CommandRun r = config("myhostname", "no_such_thing", "myorigin");

    assertEquals(0, r.exit());
    assertEquals("mx.example.org\nexample.org\n", r.out());
    assertEquals(typoWarning + "postern: warning: no_such_thing: unknown parameter\n", r.err());
  }

  @Test
  void acceptsDashHAsValuesOnly() {
    assertEquals("mx.example.org\n", config("-h", "myhostname").out());
  }

  @Test
  void printsEveryKnownParameterSortedWithoutNames() {
    CommandRun r = config();

    assertEquals(0, r.exit());
    List<String> lines = r.out().lines().collect(Collectors.toList());
    assertEquals(Params.ALL.size(), lines.size());
    assertEquals(lines.stream().sorted().collect(Collectors.toList()), lines);
    assertTrue(lines.contains("queue_directory = " + dir.resolve("queue")), r.out());
    assertTrue(lines.contains("myorigin = example.org"), r.out());
    assertTrue(lines.contains("hopcount_limit = 50"), r.out());
    assertEquals(typoWarning, r.err());
  }

  @Test
  void printsOnlyTheSettingsOfMainCfAsWrittenWithDashN() {
    CommandRun r = config("-n");

    assertEquals(0, r.exit());
    assertEquals(String.join("\n",
        "alias_maps = hash:aliases, hash:/etc/aliases",
        "local_users_file = users",
        "mail_spool_directory = mail",
        "mydestinaton = x",
        "myhostname = mx.example.org",
        "myorigin = $mydomain",
        "queue_directory = queue",
        "root = " + dir,
        ""), r.out());
    assertEquals(typoWarning, r.err());
  }

  @Test
  void printsNamedSettingsAsWrittenWithDashN() {
    CommandRun r = config("-n", "myorigin", "hopcount_limit", "queue_directory");

    assertEquals(0, r.exit());
    assertEquals("$mydomain\nqueue\n", r.out(), "an unset known name prints nothing");
  }

  @Test
  void printsTheDefaultsWithDashD() throws Exception {
    CommandRun r = config("-d");

    assertEquals(0, r.exit());
    List<String> lines = r.out().lines().collect(Collectors.toList());
    assertEquals(Params.ALL.size(), lines.size());
    assertTrue(lines.contains("queue_directory = /var/spool/postern"), r.out());
    assertTrue(lines.contains("myorigin = $myhostname"), r.out());
    assertTrue(lines.contains("root = /"), r.out());
    assertTrue(lines.contains("myhostname = " + hostName()), r.out());
  }

  @Test
  void printsNamedDefaultsWithDashD() throws Exception {
    CommandRun r = config("-d", "myhostname", "mail_spool_directory", "trusted_users");

    assertEquals(0, r.exit());
    assertEquals(hostName() + "\n/var/mail\nroot, $mail_owner\n", r.out());
  }

  @Test
  void printsDefaultsWithoutAnyMainCf() throws Exception {
    Files.delete(dir.resolve("main.cf"));

    CommandRun r = config("-d", "queue_directory");

    assertEquals(new CommandRun(0, "/var/spool/postern\n", ""), r);
  }

  @Test
  void refusesDashNWithDashD() {
    CommandRun r = config("-n", "-d");

    assertEquals(64, r.exit());
    assertTrue(r.err().endsWith("usage: postern [-C config_dir] config [-n | -d] [-h] [name...]\n"),
        r.err());
  }

  @Test
  void refusesAnUnknownFlag() {
    CommandRun r = config("-x");

    assertEquals(64, r.exit());
    assertEquals(2, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("postern: config: "), r.err());
  }

  @Test
  void failsWithExConfigWhenMainCfIsMissing() throws Exception {
    Files.delete(dir.resolve("main.cf"));

    CommandRun r = config("myhostname");

    assertEquals(new CommandRun(78, "",
        "postern: fatal: open " + dir.resolve("main.cf") + ": No such file or directory\n"), r);
  }

  @Test
  void failsWithExConfigOnAMalformedLine() throws Exception {
    Files.writeString(dir.resolve("main.cf"), "myhostname = a\nthis line has no equals\n");

    CommandRun r = config("myhostname");

    assertEquals(78, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("postern: fatal: " + dir.resolve("main.cf") + ", line 2: "),
        r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void printsAListenersValueForPortDotName() throws Exception {
    Files.writeString(dir.resolve("main.cf"), "root = " + dir + "\nsmtpd_banner = mx\n"
        + "2525.smtpd_banner = submission\n");

    CommandRun r = config("587.smtpd_tls_security_level", "25.smtpd_tls_security_level",
        "2525.smtpd_banner", "25.smtpd_banner");

    assertEquals(new CommandRun(0, "encrypt\nnone\nsubmission\nmx\n", ""), r);
  }

  @Test
  void warnsAboutPortDotUnknownNameButNotPortDotKnownName() throws Exception {
    Files.writeString(dir.resolve("main.cf"), "root = " + dir + "\n"
        + "587.smtpd_tls_security_level = may\n587.smtpd_tls_securty_level = may\n");

    CommandRun r = config("587.smtpd_tls_security_level", "587.no_such_thing");

    assertEquals(new CommandRun(0, "may\n", "postern: warning: " + dir.resolve("main.cf")
        + ", line 3: unused parameter: 587.smtpd_tls_securty_level=may\n"
        + "postern: warning: 587.no_such_thing: unknown parameter\n"), r);
  }

  @Test
  void printsTheSubmissionPortDefaultWithDashD() {
    assertEquals("encrypt\n", config("-d", "587.smtpd_tls_security_level").out());
    assertEquals("25, 587\n", config("-d", "smtpd_listen").out());
  }
}
