package org.postern.maps.aliases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.maps.source.GoldenCase;

/**
 * aliases(5) files read as sendmail's newaliases reads them. Golden cases: {@code NAME.input}
 * holds the file's bytes, {@code NAME.expected} the entries ({@code LINE<TAB>KEY<TAB>VALUE},
 * with backslash, tab, CR and control characters escaped and trailing spaces written
 * {@code \s}), {@code --}, the diagnostics as printed, each after {@code error} or
 * {@code warning}, {@code --}, and the statistics line; the file is named NAME.
 */
class AliasSourceTest {
  @TempDir Path dir;

  static Stream<String> goldenCases() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(goldenDir())) {
      List<String> names = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".input"))
          .map(n -> n.substring(0, n.length() - ".input".length()))
          .sorted()
          .toList();
      if (names.isEmpty()) {
        throw new IOException("no golden cases");
      }
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void readsAliasesAsGoldenFileSays(String name) throws IOException, URISyntaxException {
    Path golden = goldenDir();
    byte[] input = Files.readAllBytes(golden.resolve(name + ".input"));
    String expected = Files.readString(golden.resolve(name + ".expected"), StandardCharsets.UTF_8);

    AliasSource.Result r = AliasSource.read(name, new ByteArrayInputStream(input));

    assertEquals(expected, render(name, r));
  }

  @Test
  void readsAFileByPathAndNamesItInDiagnosticsAndSummary() throws IOException {
    Path file = dir.resolve("aliases");
    Files.writeString(file, "root: alice\ndup: a\ndup: b\n");

    AliasSource.Result r = AliasSource.read(file);

    assertEquals(List.of(new AliasEntry("root", "alice", 1), new AliasEntry("dup", "b", 3)),
        r.entries());
    assertEquals(List.of(file + ": line 3: dup... Warning: duplicate alias name dup"),
        r.diagnostics().stream().map(AliasDiagnostic::format).toList());
    assertEquals(file + ": 3 aliases, longest 5 bytes, 17 bytes total", r.summary(file.toString()));
    assertEquals(0, r.errorCount());
  }

  @Test
  void countsErrorsButNotWarnings() throws IOException {
    AliasSource.Result r = read("a: b\na: c\nno colon\n: x\n");

    assertEquals(2, r.errorCount());
    assertEquals(3, r.diagnostics().size());
  }

  @Test
  void readsA100KilobyteEntryWhole() throws IOException {
    String member = "m".repeat(100 * 1024);
    AliasSource.Result r = read("big: " + member + ",\n  " + member + "\nafter: x\n");

    assertEquals(List.of(new AliasEntry("big", member + ",  " + member, 1),
        new AliasEntry("after", "x", 3)), r.entries());
    assertEquals(2L * member.length() + 3, r.longestBytes());
  }

  @Test
  void readsAnEmptyFileAsNoAliases() throws IOException {
    AliasSource.Result r = read("");

    assertEquals(List.of(), r.entries());
    assertEquals("f: 0 aliases, longest 0 bytes, 0 bytes total", r.summary("f"));
  }

  @Test
  void failsWhenTheFileIsMissing() {
    assertThrows(NoSuchFileException.class, () -> AliasSource.read(dir.resolve("none")));
  }

  private static AliasSource.Result read(String text) throws IOException {
    return AliasSource.read("f", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static Path goldenDir() throws IOException, URISyntaxException {
    URL url = AliasSourceTest.class.getResource("golden");
    if (url == null) {
      throw new IOException("no golden directory");
    }
    return Path.of(url.toURI());
  }

  /** The expected-file text for {@code r}. */
  static String render(String name, AliasSource.Result r) {
    StringBuilder out = new StringBuilder();
    for (AliasEntry e : r.entries()) {
      out.append(e.line()).append('\t').append(GoldenCase.escape(e.key())).append('\t')
          .append(GoldenCase.escape(e.value())).append('\n');
    }
    out.append("--\n");
    for (AliasDiagnostic d : r.diagnostics()) {
      out.append(d.error() ? "error " : "warning ").append(d.format()).append('\n');
    }
    out.append("--\n").append(r.summary(name)).append('\n');
    return out.toString();
  }
}
