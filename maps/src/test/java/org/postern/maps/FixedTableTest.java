package org.postern.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** texthash:, inline: and static: through {@link TableOpener}, against the shared contract. */
class FixedTableTest {
  @TempDir Path dir;

  private TableOpener opener(List<String> warnings) {
    return new TableOpener(dir, warnings::add);
  }

  /** texthash: reads the postmap source format directly. */
  @Nested
  class TextHash implements TableContract {
    @Override
    public Table tableOf(Map<String, String> source) throws Exception {
      StringBuilder b = new StringBuilder();
      source.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
      Path file = Files.createTempFile(dir, "texthash", "");
      Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
      return opener(new ArrayList<>()).open(TableSpec.parse("texthash:" + file));
    }

    /** postmap's source format has no way to write an empty value ("key" alone is an error). */
    @Override
    @Test
    public void storesAnEmptyValue() throws Exception {
      Table t = tableOf(Map.of("empty@example.com", ""));
      assertEquals(Optional.empty(), t.lookup("empty@example.com"));
    }
  }

  /** inline: holds its entries in the spec itself. */
  @Nested
  class Inline implements TableContract {
    @Override
    public Table tableOf(Map<String, String> source) throws Exception {
      StringBuilder b = new StringBuilder("inline:{");
      source.forEach((k, v) -> b.append("{ ").append(k).append(" = ").append(v).append(" }, "));
      return opener(new ArrayList<>()).open(TableSpec.parse(b.append('}').toString()));
    }
  }

  @Test
  void staticAnswersEveryKeyWithItsValue() throws Exception {
    Table t = opener(new ArrayList<>()).open(TableSpec.parse("static:{OK all good}"));
    assertEquals(Optional.of("OK all good"), t.lookup("anything"));
    assertEquals(Optional.of("OK all good"), t.lookup(""));
  }

  @Test
  void unknownTypeIsAConfigurationErrorNamingTheTable() {
    TableConfigException e = assertThrows(TableConfigException.class,
        () -> opener(new ArrayList<>()).open(TableSpec.parse("ldap:/etc/x.cf")));
    assertEquals("unsupported dictionary type: ldap (in ldap:/etc/x.cf)", e.getMessage());
  }

  @Test
  void missingCompiledTableNamesTheFile() {
    TableConfigException e = assertThrows(TableConfigException.class,
        () -> opener(new ArrayList<>()).open(TableSpec.parse("hash:access")));
    assertEquals("open database " + dir.resolve("access.db") + ": No such file or directory",
        e.getMessage());
  }

  @Test
  void bareNameMeansHash() {
    assertEquals(new TableSpec("hash", "/etc/aliases"), TableSpec.parse("/etc/aliases"));
    assertEquals(new TableSpec("texthash", "x"), TableSpec.parse("texthash:x"));
  }

  @Test
  void textHashReportsBadLinesWithFileAndLine() throws Exception {
    Path file = dir.resolve("src");
    Files.writeString(file, "good value\nlonely\n");
    List<String> warnings = new ArrayList<>();
    Table t = opener(warnings).open(TableSpec.parse("texthash:src"));
    assertEquals(Optional.of("value"), t.lookup("good"));
    assertEquals(List.of("texthash: warning: " + file + ", line 2: expected format: key "
        + "whitespace value"), warnings);
  }

  @Test
  void inlineWithoutBracesIsRefused() {
    assertTrue(assertThrows(TableConfigException.class,
        () -> opener(new ArrayList<>()).open(TableSpec.parse("inline:a=b")))
        .getMessage().contains("enclosed in {}"));
  }
}
