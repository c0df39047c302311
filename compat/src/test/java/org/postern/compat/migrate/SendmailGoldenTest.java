package org.postern.compat.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole dry run (main.cf block and report) of the sendmail fixture trees the Bats suite
 * uses (tests/fixtures/migrate/sendmail with sendmail.mc, sendmail.cf with only the frozen
 * file), against {@code migrate-TREE.expected}; the root and today's date are normalized.
 */
class SendmailGoldenTest {
  private static final Path FIXTURES = Path.of("../tests/fixtures/migrate");

  @ParameterizedTest
  @ValueSource(strings = {"sendmail", "sendmail.cf"})
  void dryRunMatchesTheGoldenFile(String tree) throws Exception {
    Path root = FIXTURES.resolve(tree).toAbsolutePath().normalize();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    new MigrationRun(root, new SendmailReader(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(true);
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8).replace(root.toString(), "ROOT")
        .replace(LocalDate.now(ZoneOffset.UTC).toString(), "DATE");
    try (InputStream in = getClass().getResourceAsStream("migrate-" + tree + ".expected")) {
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), text);
    }
  }
}
