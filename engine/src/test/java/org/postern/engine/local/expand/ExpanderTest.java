package org.postern.engine.local.expand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.global.TempFailException;
import org.postern.engine.global.MailLog;
import org.postern.engine.local.LocalUsers;
import org.postern.engine.local.RecipientResolver;
import org.postern.engine.local.RunAs;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.hash.HashTableWriter;

/**
 * Alias, .forward and :include: expansion on a real instance directory: compiled alias
 * table, users file, home directories with forward files; each test reads the leaves (what
 * would be delivered, with their paths) as local delivery does.
 */
class ExpanderTest {
  @TempDir Path dir;
  private ProcessIdentity me;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @BeforeEach
  void instance() throws Exception {
    me = ProcessIdentity.current();
    StringBuilder users = new StringBuilder();
    for (String u : List.of("alice", "bob", "carol", me.name())) {
      Path home = dir.resolve("home").resolve(u);
      Files.createDirectories(home);
      users.append(u).append(":x:").append(me.uid()).append(':').append(me.gid()).append(':')
          .append(u).append(':').append(home).append(":/bin/sh\n");
    }
    Files.writeString(dir.resolve("users"), users);
    Files.writeString(dir.resolve("main.cf"), "root = " + dir + "\n"
        + "myhostname = mail.example.org\nmyorigin = example.org\n"
        + "mydestination = mail.example.org, example.org\n"
        + "local_users_file = users\nalias_maps = hash:aliases\n"
        + "default_privs = " + me.name() + "\n");
    // Tests run from a temp tree; the directories above it are the machine's.
    for (Path p = dir; p != null && p.startsWith(dir); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    aliases(Map.of("postmaster", "root"));
  }

  private void aliases(Map<String, String> entries) throws Exception {
    HashTableWriter.write(dir.resolve("aliases.db"), new ArrayList<>(entries.entrySet()), true,
        PosixFilePermissions.fromString("rw-r--r--"));
  }

  private Expansion expand(String address, String... deliveredTo) throws Exception {
    Config config = Config.load(dir);
    LocalUsers users = LocalUsers.open(config);
    MailLog log = MailLog.to(new PrintStream(logged, true, StandardCharsets.UTF_8), "local");
    RecipientResolver resolver = new RecipientResolver(config, users);
    Expander x = new Expander(config, resolver, new AliasMaps(config, log), users, me.uid(), log);
    return x.expand(address, Set.of(deliveredTo));
  }

  /** Each leaf as KIND:WHAT, in delivery order. */
  private static List<String> leaves(Expansion x) {
    List<String> out = new ArrayList<>();
    for (Leaf l : x.leaves()) {
      Destination d = l.destination();
      if (d instanceof Destination.Mailbox m) {
        out.add("mailbox:" + m.user().name());
      } else if (d instanceof Destination.Command c) {
        out.add("command:" + c.command() + " as " + c.as().user());
      } else if (d instanceof Destination.File f) {
        out.add("file:" + f.path().getFileName());
      } else if (d instanceof Destination.Forward f) {
        out.add("forward:" + f.address());
      } else if (d instanceof Destination.Unknown u) {
        out.add("failure:" + u.status().code() + " " + u.status().text());
      } else {
        Destination.Failure f = (Destination.Failure) d;
        out.add("failure:" + f.status().code() + " " + f.status().text());
      }
    }
    return out;
  }

  private Path forward(String user, String text, String mode) throws Exception {
    Path f = dir.resolve("home").resolve(user).resolve(".forward");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void aUserWithoutAliasOrForwardIsItsMailbox() throws Exception {
    assertEquals(List.of("mailbox:alice"), leaves(expand("alice@example.org")));
  }

  @Test
  void anAliasExpandsRecursivelyAndDeliversEachAddressOnce() throws Exception {
    aliases(Map.of("staff", "alice, admins, bob@example.org", "admins", "bob, carol"));
    Expansion x = expand("staff");
    assertEquals(List.of("mailbox:alice", "mailbox:bob", "mailbox:carol"), leaves(x));
    assertEquals(List.of("staff", "admins", "bob"), x.leaves().get(1).path());
  }

  @Test
  void anAliasLoopIsBrokenWithSendmailsWords() throws Exception {
    aliases(Map.of("loop1", "loop2", "loop2", "loop1"));
    assertEquals(List.of("failure:5.4.6 aliasing/forwarding loop broken"), leaves(expand("loop1")));
  }

  @Test
  void aNameInItsOwnExpansionMeansItsMailbox() throws Exception {
    aliases(Map.of("alice", "alice, bob"));
    assertEquals(List.of("mailbox:alice", "mailbox:bob"), leaves(expand("alice")));
  }

  @Test
  void backslashUserStopsAliasingAndForwarding() throws Exception {
    aliases(Map.of("bob", "\\bob, carol"));
    forward("bob", "alice\n", "rw-r--r--");
    assertEquals(List.of("mailbox:bob", "mailbox:carol"), leaves(expand("bob")));
  }

  @Test
  void unknownUsersAndErrorEntriesAreFailures() throws Exception {
    aliases(Map.of("team", "alice, nosuch", "gone", "error:5.1.1:550 Gone, left in May"));
    assertEquals(List.of("mailbox:alice", "failure:5.1.1 unknown user: \"nosuch\""),
        leaves(expand("team")));
    assertEquals(List.of("failure:5.1.1 550 Gone, left in May"), leaves(expand("gone")));
  }

  @Test
  void commandsAndFilesFromAnAliasRunAsDefaultPrivsWhenTheTableIsRoots() throws Exception {
    aliases(Map.of("log", "|/usr/bin/logger -t mail, /var/tmp/mail.log"));
    int owner = (Integer) Files.getAttribute(dir.resolve("aliases.db"), "unix:uid");
    // Root's table: default_privs (us); else the first user with the owner's uid.
    String as = owner == 0 ? me.name() : "alice";
    assertEquals(List.of("command:/usr/bin/logger -t mail as " + as, "file:mail.log"),
        leaves(expand("log")));
  }

  @Test
  void aForwardFileIsObeyedWithSelfAndCommandsAsTheUser() throws Exception {
    forward("bob", "\\bob\n# keep a copy\n\"|/usr/bin/vacation bob\"\n", "rw-r--r--");
    Expansion x = expand("bob@mail.example.org");
    assertEquals(List.of("mailbox:bob", "command:/usr/bin/vacation bob as bob"), leaves(x));
    assertTrue(x.root().via().startsWith(".forward "), x.root().via());
    assertEquals(dir.resolve("home/bob/.forward") + ":3", x.root().children().get(1).origin());
  }

  @Test
  void commandsAndFilesFromRootsForwardRunAsDefaultPrivsWithRootsHome() throws Exception {
    assumeTrue(me.uid() == 0, "a .forward of uid 0 is obeyed only when it is root's file");
    Files.writeString(dir.resolve("users"),
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", StandardOpenOption.APPEND);
    Files.writeString(dir.resolve("main.cf"), "default_privs = nobody\n",
        StandardOpenOption.APPEND);
    forward("alice", "\"|/usr/bin/id\"\n/var/tmp/alice.log\n", "rw-r--r--");

    List<Leaf> leaves = expand("alice").leaves();

    assertEquals(2, leaves.size());
    RunAs command = ((Destination.Command) leaves.get(0).destination()).as();
    RunAs file = ((Destination.File) leaves.get(1).destination()).as();
    // USER, HOME and SHELL stay alice's (her uid is 0 here): only uid and gid change.
    assertEquals(List.of("alice", 65534, 65534, dir.resolve("home/alice")),
        List.of(command.user(), command.uid(), command.gid(), command.home()));
    assertEquals(List.of(65534, 65534), List.of(file.uid(), file.gid()));
  }

  @Test
  void aGroupWritableForwardFileIsIgnoredWithALogLine() throws Exception {
    forward("bob", "alice\n", "rw-rw-r--");
    assertEquals(List.of("mailbox:bob"), leaves(expand("bob")));
    assertTrue(logged.toString(StandardCharsets.UTF_8)
        .contains(".forward is group writable: ignored"), logged.toString());
  }

  @Test
  void anEmptyForwardFileMeansNormalDelivery() throws Exception {
    forward("bob", "\n# nothing\n", "rw-r--r--");
    assertEquals(List.of("mailbox:bob"), leaves(expand("bob")));
  }

  @Test
  void theHostSpecificForwardFileComesFirst() throws Exception {
    forward("bob", "alice\n", "rw-r--r--");
    Files.writeString(dir.resolve("home/bob/.forward.mail.example.org"), "carol\n");
    assertEquals(List.of("mailbox:carol"), leaves(expand("bob")));
  }

  @Test
  void includeFilesExpandButMayNotRunCommands() throws Exception {
    Path list = dir.resolve("staff.list");
    Files.writeString(list, "alice\nbob, |/bin/cat\n");
    aliases(Map.of("staff", ":include:" + list));
    assertEquals(List.of("mailbox:alice", "mailbox:bob",
        "failure:5.7.1 mail to command is restricted"), leaves(expand("staff")));
  }

  @Test
  void aWorldWritableIncludeFileIsNotObeyed() throws Exception {
    Path list = dir.resolve("staff.list");
    Files.writeString(list, "alice\n");
    Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-rw-rw-"));
    aliases(Map.of("staff", ":include:" + list));
    List<String> got = leaves(expand("staff"));
    assertEquals(1, got.size());
    assertTrue(got.get(0).startsWith("failure:4.7.0 include file "), got.get(0));
  }

  @Test
  void ownerListTakesTheListsErrors() throws Exception {
    aliases(Map.of("list", "alice, nosuch", "owner-list", "bob"));
    Expansion x = expand("list");
    for (Leaf l : x.leaves()) {
      assertEquals(Optional.of("owner-list@example.org"), l.owner());
    }
  }

  @Test
  void anAddressAlreadyInDeliveredToIsAForwardingLoop() throws Exception {
    aliases(Map.of("list", "alice"));
    assertEquals(List.of("failure:5.4.6 mail forwarding loop for list@example.org"),
        leaves(expand("list", "list@example.org")));
  }

  @Test
  void plussedAddressesFallBackToTheBaseAlias() throws Exception {
    aliases(Map.of("sales", "alice"));
    assertEquals(List.of("mailbox:alice"), leaves(expand("sales+spring@example.org")));
    assertEquals(List.of("mailbox:bob"), leaves(expand("bob+lists@example.org")));
  }

  @Test
  void remoteMembersAreForwarded() throws Exception {
    aliases(Map.of("ext", "bob, someone@elsewhere.example"));
    Expansion x = expand("ext");
    assertEquals(List.of("mailbox:bob", "forward:someone@elsewhere.example"), leaves(x));
    assertEquals(List.of("ext@example.org"), x.leaves().get(1).expandedFrom());
  }

  @Test
  @Timeout(30)
  void includeFilesNamingEachOtherAreExpandedOncePerMessage() throws Exception {
    // The attack: three 150-line files including each other, millions of paths.
    List<Path> files = List.of(dir.resolve("a.list"), dir.resolve("b.list"),
        dir.resolve("c.list"));
    for (int f = 0; f < 3; f++) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 150; i++) {
        text.append(i % 3 == 0 ? ":include:" + files.get(i / 3 % 3)
            : "m" + f + "-" + i + "@remote.example").append('\n');
      }
      Files.writeString(files.get(f), text);
      Files.setPosixFilePermissions(files.get(f), PosixFilePermissions.fromString("rw-r--r--"));
    }
    aliases(Map.of("big", ":include:" + files.get(0)));
    List<String> got = leaves(expand("big"));
    // Each address once; a file met again on its own path is a loop, as before.
    assertEquals(300, got.stream().filter(l -> l.startsWith("forward:m")).count());
    assertEquals(List.of("failure:5.4.6 aliasing/forwarding loop broken"),
        got.stream().filter(l -> !l.startsWith("forward:m")).distinct().toList());
  }

  @Test
  void anExpansionPastTheMemberLimitFailsAsAWhole() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i <= Expander.MAX_MEMBERS; i++) {
      text.append("m").append(i).append("@remote.example\n");
    }
    Path list = Files.writeString(dir.resolve("huge.list"), text);
    Files.setPosixFilePermissions(list, PosixFilePermissions.fromString("rw-r--r--"));
    aliases(Map.of("huge", ":include:" + list));
    assertEquals(List.of("failure:5.5.3 alias expansion exceeds " + Expander.MAX_MEMBERS
        + " members"), leaves(expand("huge")));
  }

  @Test
  void anIncludeFileIsReadWithTheRightsOfTheUserWhoNamedIt() throws Exception {
    assumeTrue(me.isRoot(), "reading as another user needs root");
    // mallory (uid nobody) names a root-only file in her .forward: the kernel says no.
    Path home = Files.createDirectories(dir.resolve("home").resolve("mallory"));
    Files.writeString(dir.resolve("users"), "mallory:x:65534:65534:m:" + home + ":/bin/sh\n",
        java.nio.file.StandardOpenOption.APPEND);
    Path secret = Files.writeString(dir.resolve("secret"), "root:secret-hash:1:\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    forward("mallory", "\\mallory\n:include:" + secret + "\n", "rw-r--r--");
    List<String> got = leaves(expand("mallory"));
    assertEquals(List.of("mailbox:mallory", "failure:4.3.0 cannot open include file " + secret
        + ": Permission denied"), got);
    // A symlinked .forward pointing at the secret is refused the same way.
    Files.delete(home.resolve(".forward"));
    Files.createSymbolicLink(home.resolve(".forward"), secret);
    TempFailException e = assertThrows(TempFailException.class, () -> expand("mallory"));
    assertFalse(e.getMessage().contains("secret-hash"), e.getMessage());
  }
}
