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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.maps.source.MakemapSource.Duplicates;
import org.postern.maps.source.MakemapSource.Options;
import org.postern.maps.source.MakemapSource.Result;

class MakemapSourceTest {
  @TempDir Path dir;

  static Stream<GoldenCase> goldenCases() throws IOException, URISyntaxException {
    return GoldenCase.all("makemap");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void readsSourceAsGoldenFileSays(GoldenCase golden) throws IOException {
    Result result =
        MakemapSource.read(
            golden.name(), new ByteArrayInputStream(golden.input()), options(golden.flags()));

    List<String> trailer = new ArrayList<>(GoldenCase.format(result.warnings(), "makemap"));
    trailer.add("errors: " + result.errorCount());
    assertEquals(golden.expected(), golden.render(result.entries(), trailer));
  }

  /** makemap's own flags; {@code -t} and {@code -D} take the next word's first character. */
  private static Options options(List<String> flags) {
    boolean fold = true;
    Duplicates duplicates = Duplicates.ERROR_KEEP_FIRST;
    Optional<Character> delimiter = Optional.empty();
    Optional<Character> comment = Optional.of('#');
    boolean allowEmpty = false;
    for (int i = 0; i < flags.size(); i++) {
      switch (flags.get(i)) {
        case "-f" -> fold = false;
        case "-r" -> duplicates = Duplicates.REPLACE;
        case "-d" -> duplicates = Duplicates.KEEP_ALL;
        case "-e" -> allowEmpty = true;
        case "-t" -> delimiter = Optional.of(flags.get(++i).charAt(0));
        case "-D" -> comment = Optional.of(flags.get(++i).charAt(0));
        default ->
            throw new IllegalArgumentException(
                "unknown makemap flag in golden file: " + flags.get(i));
      }
    }
    return new Options(fold, duplicates, delimiter, comment, allowEmpty, false);
  }

  @Test
  void readsAFileByPathAndCountsItsErrors() throws IOException {
    Path source = dir.resolve("access");
    Files.writeString(source, "Connect:10.1 REJECT\nlonely\n  indented OK\n");

    Result result = MakemapSource.read(source, Options.DEFAULT);

    assertEquals(List.of(new SourceEntry("connect:10.1", "REJECT", 1)), result.entries());
    assertEquals(
        List.of(
            "makemap: warning: " + source + ", line 2: no RHS for LHS lonely",
            "makemap: warning: " + source + ", line 3: syntax error (leading space)"),
        GoldenCase.format(result.warnings(), "makemap"));
    assertEquals(2, result.errorCount());
  }

  @Test
  void readsA100KilobyteLineWhole() throws IOException {
    String value = "v".repeat(100 * 1024);
    Path source = dir.resolve("long");
    Files.writeString(source, "long " + value + "\nafter 2\n");

    Result result = MakemapSource.read(source, Options.DEFAULT);

    assertEquals(
        List.of(new SourceEntry("long", value, 1), new SourceEntry("after", "2", 2)),
        result.entries());
    assertEquals(0, result.errorCount());
  }

  @Test
  void givesTheSameResultForTheSameInput() throws IOException {
    byte[] input = "b 1\nA 2\na 3\n x\nc\n".repeat(50).getBytes(StandardCharsets.UTF_8);

    Result first = MakemapSource.read("t", new ByteArrayInputStream(input), Options.DEFAULT);
    Result second = MakemapSource.read("t", new ByteArrayInputStream(input), Options.DEFAULT);

    assertEquals(first, second);
  }

  @Test
  void includeNulDoesNotChangeWhatIsRead() throws IOException {
    byte[] input = "Key value\n".getBytes(StandardCharsets.UTF_8);
    Options withNul =
        new Options(
            true, Duplicates.ERROR_KEEP_FIRST, Optional.empty(), Optional.of('#'), false, true);

    Result result = MakemapSource.read("t", new ByteArrayInputStream(input), withNul);

    assertEquals(List.of(new SourceEntry("key", "value", 1)), result.entries());
  }

  @Test
  void failsWhenTheSourceDoesNotExist() {
    assertThrows(
        NoSuchFileException.class,
        () -> MakemapSource.read(dir.resolve("missing"), Options.DEFAULT));
  }

  @Test
  void foldsOnlyAsciiLettersAsSendmailDoes() {
    assertEquals("Über@example.de", MakemapSource.foldKey("ÜBER@Example.DE"));
  }
}
