package org.postern.engine.global;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  private Config config(String mainCf) throws IOException, ConfigException {
    Files.writeString(dir.resolve("main.cf"), mainCf);
    return Config.load(dir);
  }

  @Test
  void expandsDollarNameAndBracedName() throws Exception {
    Config c = config("myhostname = mail.example.org\nmyorigin = $myhostname\n"
        + "mydestination = ${myhostname}, x.$myhostname, ${myhostname}.y\n");

    assertEquals("mail.example.org", c.get(Params.MYORIGIN));
    assertEquals("mail.example.org, x.mail.example.org, mail.example.org.y",
        c.get(Params.MYDESTINATION));
    assertEquals("${myhostname}, x.$myhostname, ${myhostname}.y", c.raw(Params.MYDESTINATION));
  }

  @Test
  void expandsNestedReferences() throws Exception {
    Config c = config("myhostname = h.example\nmail_owner = $myorigin\nmyorigin = o.$myhostname\n"
        + "trusted_users = root, $mail_owner\n");

    assertEquals("root, o.h.example", c.get(Params.TRUSTED_USERS));
  }

  @Test
  void expandsAnUnknownParameterSetInMainCf() throws Exception {
    Config c = config("site = example.com\nmyorigin = mail.$site\n");

    assertEquals("mail.example.com", c.get(Params.MYORIGIN));
  }

  @Test
  void anUndefinedNameExpandsToNothing() throws Exception {
    Config c = config("myorigin = a$nosuchthing.b\n");

    assertEquals("a.b", c.get(Params.MYORIGIN));
  }

  @Test
  void aRecursiveDefinitionExpandsToNothingInsteadOfLooping() throws Exception {
    Config c = config("myorigin = x$mydomain\nmydomain = y$myorigin\n");

    assertEquals("xy", c.get(Params.MYORIGIN));
    assertEquals("yx", c.get(Params.MYDOMAIN));
  }

  @Test
  void aSelfReferenceExpandsToNothing() throws Exception {
    Config c = config("myorigin = a${myorigin}b\n");

    assertEquals("ab", c.get(Params.MYORIGIN));
  }

  @Test
  void keepsADollarThatStartsNoName() throws Exception {
    Config c = config("myorigin = cost$\nmydomain = ${unterminated\n");

    assertEquals("cost$", c.get(Params.MYORIGIN));
    assertEquals("${unterminated", c.get(Params.MYDOMAIN));
  }

  @Test
  void usesDefaultsForWhatMainCfDoesNotSet() throws Exception {
    Config c = config("myhostname = mail.example.org\n");

    assertEquals("mail.example.org", c.get(Params.MYORIGIN), "myorigin = $myhostname");
    assertEquals("example.org", c.get(Params.MYDOMAIN), "mydomain from myhostname");
    assertEquals("mail.example.org, localhost.example.org, localhost",
        c.get(Params.MYDESTINATION));
    assertEquals("root, postern", c.get(Params.TRUSTED_USERS));
    assertEquals(10_240_000, c.number(Params.MESSAGE_SIZE_LIMIT));
    assertEquals(5L * 86_400_000, c.millis(Params.MAXIMAL_QUEUE_LIFETIME));
    assertEquals(4L * 3_600_000, c.millis(Params.DELAY_WARNING_TIME));
    assertEquals(300_000, c.millis(Params.MINIMAL_BACKOFF_TIME));
    assertEquals(4_000_000, c.millis(Params.MAXIMAL_BACKOFF_TIME));
    assertTrue(c.bool(Params.STRICT_MAILBOX_OWNERSHIP));
    assertFalse(c.isSet(Params.MYORIGIN));
    assertTrue(c.isSet(Params.MYHOSTNAME));
  }

  @Test
  void aHostNameWithoutDotGivesLocaldomain() throws Exception {
    Config c = config("myhostname = box\n");

    assertEquals("localdomain", c.get(Params.MYDOMAIN));
  }

  @Test
  void defaultsAloneNeedNoFile() {
    Config c = Config.defaults(dir);

    assertEquals("/var/spool/postern", c.get(Params.QUEUE_DIRECTORY));
    assertEquals(Path.of("/var/mail"), c.path(Params.MAIL_SPOOL_DIRECTORY));
    assertEquals(Path.of("/"), c.root());
  }

  @Test
  void readsTimeUnits() throws Exception {
    Config c = config("minimal_backoff_time = 10\nmaximal_backoff_time = 10s\n"
        + "maximal_queue_lifetime = 5m\nbounce_queue_lifetime = 4h\n"
        + "delay_warning_time = 2d\nstale_lock_time = 1w\n");

    assertEquals(10_000, c.millis(Params.MINIMAL_BACKOFF_TIME), "no unit means seconds");
    assertEquals(10_000, c.millis(Params.MAXIMAL_BACKOFF_TIME));
    assertEquals(300_000, c.millis(Params.MAXIMAL_QUEUE_LIFETIME));
    assertEquals(14_400_000, c.millis(Params.BOUNCE_QUEUE_LIFETIME));
    assertEquals(172_800_000, c.millis(Params.DELAY_WARNING_TIME));
    assertEquals(604_800_000, c.millis(Params.STALE_LOCK_TIME));
  }

  @Test
  void refusesABadTimeNamingKeyFileAndLine() throws Exception {
    Config c = config("myorigin = o\ndelay_warning_time = 5x\nstale_lock_time =\n");

    ConfigException e =
        assertThrows(ConfigException.class, () -> c.millis(Params.DELAY_WARNING_TIME));
    assertEquals(dir.resolve("main.cf") + ", line 2: bad delay_warning_time value \"5x\": "
        + "expected a time value", e.getMessage());
    assertThrows(ConfigException.class, () -> c.millis(Params.STALE_LOCK_TIME));
  }

  @Test
  void refusesBadNumbersAndBooleans() throws Exception {
    Config c = config("message_size_limit = 10MB\nstrict_mailbox_ownership = maybe\n");

    ConfigException n =
        assertThrows(ConfigException.class, () -> c.number(Params.MESSAGE_SIZE_LIMIT));
    assertEquals(dir.resolve("main.cf") + ", line 1: bad message_size_limit value \"10MB\": "
        + "expected a number", n.getMessage());
    ConfigException b =
        assertThrows(ConfigException.class, () -> c.bool(Params.STRICT_MAILBOX_OWNERSHIP));
    assertTrue(b.getMessage().contains("line 2: bad strict_mailbox_ownership"), b.getMessage());
  }

  @Test
  void readsBooleansAsPostfixWritesThem() throws Exception {
    for (String yes : List.of("yes", "YES", "true")) {
      assertTrue(config("strict_mailbox_ownership = " + yes + "\n")
          .bool(Params.STRICT_MAILBOX_OWNERSHIP), yes);
    }
    for (String no : List.of("no", "No", "false")) {
      assertFalse(config("strict_mailbox_ownership = " + no + "\n")
          .bool(Params.STRICT_MAILBOX_OWNERSHIP), no);
    }
  }

  @Test
  void resolvesRelativePathsAgainstRoot() throws Exception {
    Config c = config("root = " + dir + "/inst\nqueue_directory = queue\n"
        + "mail_spool_directory = /var/mail\nlocal_users_file = etc/users\n");

    assertEquals(dir.resolve("inst"), c.root());
    assertEquals(dir.resolve("inst/queue"), c.path(Params.QUEUE_DIRECTORY));
    assertEquals(Path.of("/var/mail"), c.path(Params.MAIL_SPOOL_DIRECTORY));
    assertEquals(dir.resolve("inst/etc/users"), c.path(Params.LOCAL_USERS_FILE));
    assertEquals(dir.resolve("inst/aliases"), c.resolve("aliases"));
    assertEquals(Path.of("/etc/aliases"), c.resolve("/etc/aliases"));
  }

  @Test
  void resolvesARelativeRootAgainstTheConfigDirectory() throws Exception {
    Config c = config("root = inst\nqueue_directory = q\n");

    assertEquals(dir.resolve("inst"), c.root());
    assertEquals(dir.resolve("inst/q"), c.path(Params.QUEUE_DIRECTORY));
  }

  @Test
  void expandsReferencesInsidePaths() throws Exception {
    Config c = config("root = " + dir + "\nqueue_directory = $mail_spool_directory/q\n"
        + "mail_spool_directory = spool\n");

    assertEquals(dir.resolve("spool/q"), c.path(Params.QUEUE_DIRECTORY));
  }

  @Test
  void knowsItsLocalDomainsWithoutRegardToCase() throws Exception {
    Config c = config("myhostname = Mail.Example.ORG\nmydestination = $myhostname, localhost,\n"
        + "  Example.org\n");

    assertTrue(c.isLocalDomain("mail.example.org"));
    assertTrue(c.isLocalDomain("MAIL.EXAMPLE.ORG"));
    assertTrue(c.isLocalDomain("example.ORG"));
    assertTrue(c.isLocalDomain("localhost"));
    assertFalse(c.isLocalDomain("example.net"));
    assertFalse(c.isLocalDomain("sub.example.org"));
    assertFalse(c.isLocalDomain(""));
  }

  @Test
  void splitsListsAtCommasAndWhiteSpace() throws Exception {
    Config c = config("mydestination = a, b  c,,d\n");

    assertEquals(List.of("a", "b", "c", "d"), c.list(Params.MYDESTINATION));
  }

  @Test
  void keepsBracedItemsWholeInLists() throws Exception {
    Config c = config("canonical_maps = inline:{ a=b, { c = d e } } hash:x,texthash:y\n");

    assertEquals(List.of("inline:{ a=b, { c = d e } }", "hash:x", "texthash:y"),
        c.list(Params.CANONICAL_MAPS));
  }

  @Test
  void listsEveryKnownParameterSorted() {
    List<String> names = Config.knownNames();

    assertTrue(names.contains("queue_directory"));
    assertTrue(names.contains("delay_warning_time"));
    assertEquals(names.stream().sorted().toList(), names);
  }

  @Test
  void listenerViewPrefersPortDotNameOverName() throws Exception {
    Config c = config("smtpd_banner = global\n2525.smtpd_banner = submission\n");

    assertEquals("submission", c.forListener(2525).get(Params.SMTPD_BANNER));
    assertEquals("global", c.forListener(25).get(Params.SMTPD_BANNER));
    assertEquals("global", c.get(Params.SMTPD_BANNER));
    assertTrue(c.forListener(2525).isSet(Params.SMTPD_BANNER));
    assertEquals(2525, c.forListener(2525).listenerPort().getAsInt());
  }

  @Test
  void listenerViewExpandsReferencesInTheSameView() throws Exception {
    Config c = config("myhostname = mx.example\n2525.myhostname = sub.example\n"
        + "smtpd_banner = $myhostname ESMTP\n");

    assertEquals("sub.example ESMTP", c.forListener(2525).get(Params.SMTPD_BANNER));
    assertEquals("mx.example ESMTP", c.forListener(25).get(Params.SMTPD_BANNER));
  }

  @Test
  void submissionPortRequiresTlsUnlessItsOwnSettingSaysOtherwise() throws Exception {
    Config defaults = Config.defaults(dir);
    assertEquals("25, 587", defaults.get(Params.SMTPD_LISTEN));
    assertEquals("none", defaults.get(Params.SMTPD_TLS_SECURITY_LEVEL));
    assertEquals("encrypt", defaults.forListener(587).get(Params.SMTPD_TLS_SECURITY_LEVEL));
    assertEquals("none", defaults.forListener(25).get(Params.SMTPD_TLS_SECURITY_LEVEL));

    Config global = config("smtpd_tls_security_level = may\n");
    assertEquals("encrypt", global.forListener(587).get(Params.SMTPD_TLS_SECURITY_LEVEL),
        "like master.cf -o, the listener default beats the global value");
    assertEquals("may", global.forListener(25).get(Params.SMTPD_TLS_SECURITY_LEVEL));

    Config own = config("587.smtpd_tls_security_level = may\n");
    assertEquals("may", own.forListener(587).get(Params.SMTPD_TLS_SECURITY_LEVEL));
  }

  @Test
  void badListenerValueNamesThePortSettingAndItsLine() throws Exception {
    Config c = config("smtpd_timeout = 300s\n2525.smtpd_timeout = soon\n");

    ConfigException e = assertThrows(ConfigException.class,
        () -> c.forListener(2525).millis(Params.SMTPD_TIMEOUT));
    assertEquals(dir.resolve("main.cf") + ", line 2: bad 2525.smtpd_timeout value \"soon\": "
        + "expected a time value", e.getMessage());
    assertEquals(300_000, c.forListener(25).millis(Params.SMTPD_TIMEOUT));
  }

  @Test
  void aShortHostNameTakesItsCanonicalNameFromEtcHosts() throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost\n# 127.0.1.1 old.example.org debian\n"
        + "127.0.1.1\tdebian.postern.test debian  # the installer's line\n");
    assertEquals("debian.postern.test", Config.canonical("debian", hosts));
    assertEquals("other", Config.canonical("other", hosts), "not listed: as it is");
    Files.writeString(hosts, "127.0.0.1 localhost.localdomain localhost vm\n");
    assertEquals("vm", Config.canonical("vm", hosts), "another host's name is not ours");
    assertEquals("vm", Config.canonical("vm", dir.resolve("missing")));
  }

  @Test
  void myoriginNamingAFileIsThatFilesFirstLineAsOnDebian() throws Exception {
    Path mailname = dir.resolve("mailname");
    Files.writeString(mailname, "mail.example.org\nignored\n");
    Config c = config("myhostname = host.example.org\nmyorigin = " + mailname
        + "\nmydestination = $myhostname, $myorigin\n");
    assertEquals("mail.example.org", c.get(Params.MYORIGIN));
    assertEquals("host.example.org, mail.example.org", c.get(Params.MYDESTINATION));
    Files.delete(mailname);
    assertEquals("host.example.org", config("myhostname = host.example.org\nmyorigin = "
        + mailname + "\n").get(Params.MYORIGIN), "no file: $myhostname");
  }
}
