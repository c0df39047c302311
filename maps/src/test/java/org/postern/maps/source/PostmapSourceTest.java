package org.postern.maps.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
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
import org.postern.maps.source.PostmapSource.Duplicates;
import org.postern.maps.source.PostmapSource.Options;
import org.postern.maps.source.PostmapSource.Result;

class PostmapSourceTest {
  @TempDir Path dir;

  static Stream<GoldenCase> goldenCases() throws IOException, URISyntaxException {
    return GoldenCase.all("postmap");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void readsSourceAsGoldenFileSays(GoldenCase golden) throws IOException {
    Result result =
        PostmapSource.read(
            golden.name(), new ByteArrayInputStream(golden.input()), options(golden.flags()));

    assertEquals(
        golden.expected(),
        golden.render(result.entries(), GoldenCase.format(result.warnings(), "postmap")));
  }

  private static Options options(List<String> flags) {
    boolean fold = true;
    Duplicates duplicates = Duplicates.WARN_KEEP_FIRST;
    for (String flag : flags) {
      switch (flag) {
        case "-f" -> fold = false;
        case "-r" -> duplicates = Duplicates.REPLACE;
        case "-w" -> duplicates = Duplicates.IGNORE;
        default ->
            throw new IllegalArgumentException("unknown postmap flag in golden file: " + flag);
      }
    }
    return new Options(fold, duplicates);
  }

  @Test
  void readsAFileByPathAndNamesItInWarnings() throws IOException {
    Path source = dir.resolve("virtual");
    Files.writeString(source, "Alias@Example.com user\nlonely\n");

    Result result = PostmapSource.read(source, Options.DEFAULT);

    assertEquals(List.of(new SourceEntry("alias@example.com", "user", 1)), result.entries());
    assertEquals(
        List.of("postmap: warning: " + source + ", line 2: expected format: key whitespace value"),
        GoldenCase.format(result.warnings(), "postmap"));
  }

  @Test
  void readsA100KilobyteLineWhole() throws IOException {
    String value = "v".repeat(100 * 1024);
    Path source = dir.resolve("long");
    Files.writeString(source, "before 1\nlong " + value + "\n  " + value + "\nafter 2\n");

    Result result = PostmapSource.read(source, Options.DEFAULT);

    assertEquals(
        List.of(
            new SourceEntry("before", "1", 1),
            new SourceEntry("long", value + "  " + value, 2),
            new SourceEntry("after", "2", 4)),
        result.entries());
    assertEquals(List.of(), result.warnings());
  }

  @Test
  void givesTheSameResultForTheSameInput() throws IOException {
    byte[] input = "b 1\nA 2\na 3\n \"q k\" 4\nc\n".repeat(50).getBytes(StandardCharsets.UTF_8);

    Result first = PostmapSource.read("t", new ByteArrayInputStream(input), Options.DEFAULT);
    Result second = PostmapSource.read("t", new ByteArrayInputStream(input), Options.DEFAULT);

    assertEquals(first, second);
  }

  @Test
  void failsWhenTheSourceDoesNotExist() {
    assertThrows(
        NoSuchFileException.class,
        () -> PostmapSource.read(dir.resolve("missing"), Options.DEFAULT));
  }

  @Test
  void foldsKeysAsLookupsMustFoldThem() {
    assertEquals("user@example.com", PostmapSource.foldKey("User@EXAMPLE.com"));
    assertEquals("strasse@müller.de", PostmapSource.foldKey("STRAßE@Müller.DE"));
  }

  @Test
  void formatsAWarningAsPostfixPrintsIt() {
    assertEquals(
        "postmap: warning: /etc/postfix/virtual, line 7: duplicate entry: \"a\"",
        new SourceWarning("/etc/postfix/virtual", 7, "duplicate entry: \"a\"").format("postmap"));
  }
}
