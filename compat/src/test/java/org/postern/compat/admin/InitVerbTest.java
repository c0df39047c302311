package org.postern.compat.admin;

import org.postern.engine.util.ProcessIdentity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.PasswdFile;

class InitVerbTest {
  @TempDir Path tmp;
  private Path dir;
  private PasswdFile system;
  private ProcessIdentity me;

  @BeforeEach
  void setUp() throws Exception {
    dir = tmp.resolve("instance");
    me = ProcessIdentity.current();
    // The "system" accounts: a real account, and the invoking user with a full name.
    Path passwd = tmp.resolve("passwd");
    Files.writeString(passwd,
        "daemon:x:1:1:Daemon Account:/usr/sbin:/usr/sbin/nologin\n"
            + me.name() + ":x:" + me.uid() + ":" + me.gid()
            + ":Instance Owner,,,:/nowhere:/bin/sh\n");
    system = PasswdFile.load(passwd);
  }

  private CommandRun init(String... args) {
    return CommandRun.of(Map.of(), system, args);
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
  }

  @Test
  void createsEveryFileAndDirectorySilently() throws Exception {
    CommandRun r = init("init", dir.toString(), "--user", "alice");

    assertEquals(new CommandRun(0, "", ""), r);
    for (String file : List.of("main.cf", "users", "aliases")) {
      assertTrue(Files.isRegularFile(dir.resolve(file)), file);
      assertEquals(0644, mode(dir.resolve(file)), file);
    }
    for (String sub : List.of("log", "mail", "queue", "home/" + me.name(), "home/alice")) {
      assertTrue(Files.isDirectory(dir.resolve(sub)), sub);
    }
    assertEquals(0755, mode(dir.resolve("home/alice")));
    assertEquals(0755, mode(dir.resolve("home").resolve(me.name())));
    assertEquals(List.of("postmaster: " + me.name()), Files.readAllLines(dir.resolve("aliases"))
        .stream().filter(l -> !l.startsWith("#")).toList(), "postmaster goes to the owner");
    assertTrue(Files.isRegularFile(dir.resolve("aliases.db")), "aliases.db is built");
  }

  @Test
  void createsTheQueueWithAWorldWritableStickyMaildrop() throws Exception {
    assertEquals(0, init("init", dir.toString()).exit());

    Path queue = dir.resolve("queue");
    assertEquals(01733, mode(queue.resolve("maildrop")));
    for (String sub : List.of("incoming", "active", "deferred", "hold", "corrupt", "status")) {
      assertEquals(0700, mode(queue.resolve(sub)), sub);
    }
  }

  @Test
  void createsTheSpoolForItsOwner() throws Exception {
    assertEquals(0, init("init", dir.toString()).exit());

    Path spool = dir.resolve("mail");
    if (!me.isRoot()) {
      assertEquals(0755, mode(spool));
      return;
    }
    PosixFileAttributes attrs = Files.readAttributes(spool, PosixFileAttributes.class);
    assertEquals("root", attrs.owner().getName());
    if (attrs.group().getName().equals("mail")) {
      assertEquals(02775, mode(spool));
    } else {
      assertEquals(01777, mode(spool));
    }
  }

  @Test
  void writesAMainCfThatResolvesEveryPathUnderTheInstance() throws Exception {
    assertEquals(0, init("init", tmp.toString() + "/./instance").exit());

    Config config = Config.load(dir);
    assertEquals(List.of(), config.mainCf().warnings());
    assertEquals(dir, config.root());
    assertEquals(dir.resolve("queue"), config.path(Params.QUEUE_DIRECTORY));
    assertEquals(dir.resolve("mail"), config.path(Params.MAIL_SPOOL_DIRECTORY));
    assertEquals(dir.resolve("log/maillog"), config.path(Params.MAILLOG_FILE));
    assertEquals(dir.resolve("users"), config.path(Params.LOCAL_USERS_FILE));
    assertEquals("hash:aliases", config.get(Params.ALIAS_MAPS));
    assertEquals("hash:aliases", config.get(Params.ALIAS_DATABASE));
    assertEquals(me.name(), config.get(Params.MAIL_OWNER));
    assertTrue(config.list(Params.TRUSTED_USERS).containsAll(List.of("root", me.name())));
    assertFalse(config.isSet(Params.MYHOSTNAME), "myhostname stays at its default");
    assertTrue(Files.readString(dir.resolve("main.cf")).startsWith("# "), "comment header");
  }

  @Test
  void listsTheInvokingUserAndEachNamedUserWithHomesUnderTheInstance() throws Exception {
    assertEquals(0, init("init", dir.toString(), "--user", "alice", "--user=daemon").exit());

    List<PasswdEntry> users = PasswdFile.load(dir.resolve("users")).entries();
    assertEquals(List.of(me.name(), "alice", "daemon"),
        users.stream().map(PasswdEntry::name).collect(Collectors.toList()));
    PasswdEntry owner = users.get(0);
    assertEquals(List.of(me.uid(), me.gid()), List.of(owner.uid(), owner.gid()));
    assertEquals("Instance Owner,,,", owner.gecos());
    PasswdEntry alice = users.get(1);
    assertEquals(List.of(me.uid(), me.gid(), "alice"),
        List.of(alice.uid(), alice.gid(), alice.gecos()), "a virtual user of the owner");
    PasswdEntry daemon = users.get(2);
    assertEquals(List.of(1, 1, "Daemon Account"),
        List.of(daemon.uid(), daemon.gid(), daemon.gecos()), "a system account keeps its ids");
    for (PasswdEntry user : users) {
      assertEquals(dir.resolve("home").resolve(user.name()), user.home());
      assertEquals("/bin/sh", user.shell());
    }
  }

  @Test
  void listsARepeatedUserOnce() throws Exception {
    assertEquals(0,
        init("init", dir.toString(), "--user", me.name(), "--user", "bob", "--user", "bob")
            .exit());

    List<String> names = PasswdFile.load(dir.resolve("users")).entries().stream()
        .map(PasswdEntry::name).collect(Collectors.toList());
    assertEquals(List.of(me.name(), "bob"), names);
  }

  @Test
  void createsMissingParentDirectories() throws Exception {
    Path deep = tmp.resolve("a/b/c");

    assertEquals(0, init("init", deep.toString()).exit());
    assertTrue(Files.isRegularFile(deep.resolve("main.cf")));
  }

  @Test
  void refusesADirectoryThatAlreadyHasAMainCf() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("main.cf"), "root = /elsewhere\n");

    CommandRun r = init("init", dir.toString());

    assertEquals(73, r.exit());
    assertEquals("postern: " + dir.resolve("main.cf") + " already exists\n", r.err());
    assertEquals("root = /elsewhere\n", Files.readString(dir.resolve("main.cf")));
    assertFalse(Files.exists(dir.resolve("queue")), "nothing else was created");
  }

  @Test
  void keepsAnExistingAliasesFile() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("aliases"), "postmaster: root\n");

    CommandRun r = init("init", dir.toString());

    assertEquals(0, r.exit());
    assertEquals("postern: warning: " + dir.resolve("aliases") + " exists; left unchanged\n",
        r.err());
    assertEquals("postmaster: root\n",
        Files.readString(dir.resolve("aliases"), StandardCharsets.UTF_8));
  }

  @Test
  void rejectsAUserNameThatIsNotALoginName() {
    CommandRun r = init("init", dir.toString(), "--user", "Bad:Name");

    assertEquals(64, r.exit());
    assertTrue(r.err().startsWith("postern: bad user name: \"Bad:Name\""), r.err());
    assertTrue(r.err().endsWith("usage: postern init DIR [--user NAME]...\n"), r.err());
    assertFalse(Files.exists(dir), "nothing was created");
  }

  @Test
  void rejectsAnOverlongUserName() {
    assertEquals(64, init("init", dir.toString(), "--user", "a".repeat(33)).exit());
    assertEquals(0, init("init", dir.toString(), "--user", "a".repeat(32)).exit());
  }

  @Test
  void needsExactlyOneDirectory() {
    assertEquals(64, init("init").exit());
    assertEquals(64, init("init", dir.toString(), tmp.resolve("other").toString()).exit());
    assertEquals(64, init("init", dir.toString(), "--user").exit());
    assertEquals(64, init("init", dir.toString(), "--bogus").exit());
  }

  @Test
  void namesThePathItCannotCreate() throws Exception {
    Files.writeString(tmp.resolve("file"), "");

    CommandRun r = init("init", tmp.resolve("file/instance").toString());

    assertEquals(73, r.exit());
    assertTrue(r.err().startsWith("postern: " + tmp.resolve("file")), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }
}
