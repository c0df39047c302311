package org.postern.compat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.posix.SystemUsers;

class PosternCommandTest {
  private static final String USAGE = "usage: postern [-C config_dir] VERB [ARGS]\n";

  @TempDir Path tmp;
  private Path one;
  private Path two;

  @BeforeEach
  void twoInstances() throws Exception {
    one = tmp.resolve("one");
    two = tmp.resolve("two");
    for (Path dir : new Path[] {one, two}) {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("main.cf"), "myhostname = " + dir.getFileName() + "\n");
    }
  }

  private static CommandRun run(Map<String, String> env, String... args) {
    return CommandRun.of(env, new SystemUsers(), args);
  }

  @Test
  void dashCSelectsTheInstance() {
    assertEquals("one\n", run(Map.of(), "-C", one.toString(), "config", "myhostname").out());
  }

  @Test
  void dashCAcceptsMainCfItself() {
    assertEquals("two\n",
        run(Map.of(), "-C", two.resolve("main.cf").toString(), "config", "myhostname").out());
  }

  @Test
  void posternConfigSelectsTheInstance() {
    CommandRun r = run(Map.of("POSTERN_CONFIG", two.toString()), "config", "myhostname");

    assertEquals(new CommandRun(0, "two\n", ""), r);
  }

  @Test
  void dashCWinsOverPosternConfig() {
    CommandRun r =
        run(Map.of("POSTERN_CONFIG", two.toString()), "-C", one.toString(), "config", "myhostname");

    assertEquals("one\n", r.out());
  }

  @Test
  void initThenConfigFindsTheSpool() {
    Path dir = tmp.resolve("fresh");

    assertEquals(0, run(Map.of(), "init", dir.toString()).exit());
    CommandRun r = run(Map.of("POSTERN_CONFIG", dir.toString()), "config",
        "mail_spool_directory", "queue_directory");

    assertEquals(new CommandRun(0, dir.resolve("mail") + "\n" + dir.resolve("queue") + "\n", ""),
        r);
  }

  @Test
  void refusesAnUnknownVerb() {
    CommandRun r = run(Map.of(), "frobnicate");

    assertEquals(new CommandRun(64, "",
        "postern: unknown verb: frobnicate"
            + " (verbs: check, config, explain, flush, init, local, lookup, migrate, queue, reload, start, status, stop)\n" + USAGE), r);
  }

  @Test
  void refusesAMissingVerb() {
    assertEquals(new CommandRun(64, "", "postern: missing verb\n" + USAGE), run(Map.of()));
  }

  @Test
  void refusesAnUnknownGlobalOption() {
    CommandRun r = run(Map.of(), "-x", "config");

    assertEquals(new CommandRun(64, "",
        "postern: unrecognized option: -x"
            + " (verbs: check, config, explain, flush, init, local, lookup, migrate, queue, reload, start, status, stop)\n" + USAGE), r);
  }

  @Test
  void refusesDashCWithoutADirectory() {
    CommandRun r = run(Map.of(), "-C");

    assertEquals(64, r.exit());
    assertEquals(2, r.err().lines().count(), r.err());
  }
}
