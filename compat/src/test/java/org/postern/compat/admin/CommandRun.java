package org.postern.compat.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.postern.maps.passwd.UserDirectory;

/** One in-process run of {@link PosternCommand}: exit code and what it printed. */
record CommandRun(int exit, String out, String err) {
  static CommandRun of(Map<String, String> env, UserDirectory systemUsers, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = new PosternCommand(env, systemUsers)
          .run(new ByteArrayInputStream(new byte[0]), o, e, args);
    }
    return new CommandRun(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }
}
