package org.postern.maps.source;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One golden-file case: {@code NAME.input} (the raw source bytes) and {@code NAME.expected}. The
 * expected file is a {@code flags: ...} line (the command-line flags the case runs with), the
 * entries as {@code key<TAB>value} lines, {@code --}, then the warnings as the front end prints
 * them (makemap adds an {@code errors: N} line). In keys and values a backslash, tab, CR and other
 * control characters are escaped ({@code \\}, {@code \t}, {@code \r}, {@code \xNN}) and trailing
 * spaces are written {@code \s}, so the files survive editors.
 */
public record GoldenCase(String name, byte[] input, List<String> flags, String expected) {
  private static final String FLAGS = "flags:";

  @Override
  public String toString() {
    return name;
  }

  static Stream<GoldenCase> all(String directory) throws IOException, URISyntaxException {
    URL url = GoldenCase.class.getResource(directory);
    if (url == null) {
      throw new IOException("no golden directory " + directory);
    }
    Path dir = Path.of(url.toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> inputs =
          files.filter(p -> p.getFileName().toString().endsWith(".input")).sorted().toList();
      if (inputs.isEmpty()) {
        throw new IOException("no golden cases in " + dir);
      }
      return inputs.stream().map(GoldenCase::load).toList().stream();
    }
  }

  private static GoldenCase load(Path input) {
    String file = input.getFileName().toString();
    String name = file.substring(0, file.length() - ".input".length());
    try {
      String expected =
          Files.readString(input.resolveSibling(name + ".expected"), StandardCharsets.UTF_8);
      String first = expected.substring(0, expected.indexOf('\n'));
      if (!first.startsWith(FLAGS)) {
        throw new IllegalStateException(name + ".expected must start with " + FLAGS);
      }
      List<String> flags =
          Arrays.stream(first.substring(FLAGS.length()).trim().split(" +"))
              .filter(s -> !s.isEmpty())
              .toList();
      return new GoldenCase(name, Files.readAllBytes(input), flags, expected);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read golden case " + name, e);
    }
  }

  /** The expected-file text for {@code entries} and already formatted warning lines. */
  String render(List<SourceEntry> entries, List<String> trailer) {
    StringBuilder out = new StringBuilder(FLAGS);
    flags.forEach(f -> out.append(' ').append(f));
    out.append('\n');
    for (SourceEntry e : entries) {
      out.append(escape(e.key())).append('\t').append(escape(e.value())).append('\n');
    }
    out.append("--\n");
    trailer.forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }

  /** A key or value as the expected files write it (also used by the aliases goldens). */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == ' ') {
      end--;
    }
    String spaces = "\\s".repeat(out.length() - end);
    out.setLength(end);
    return out.append(spaces).toString();
  }

  static List<String> format(List<SourceWarning> warnings, String command) {
    return warnings.stream().map(w -> w.format(command)).collect(Collectors.toList());
  }
}
