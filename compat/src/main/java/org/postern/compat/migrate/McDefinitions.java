package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The macro calls of a sendmail.mc and the files it includes from {@code /etc/mail} (Debian's
 * {@code m4/dialup.m4}, {@code m4/provider.m4}, {@code tls/starttls.m4}, ...), as m4 would
 * leave them: the last {@code define} of a name wins, {@code undefine} removes it. sendmail's
 * own m4 library ({@code /usr/share/sendmail}) is not read: its defaults are the readers'.
 *
 * <p>Remembers which calls a reader asked about, so that {@link #unused} lists what nothing
 * interpreted. Trusts nothing in the files; an include that is missing is skipped (m4 would
 * stop, sendmailconfig would not have built). Not thread-safe.
 */
final class McDefinitions {
  /** sendmail macros that only build the .cf and change nothing a migration could carry. */
  private static final Set<String> INERT = Set.of("VERSIONID", "OSTYPE", "DOMAIN",
      "MAILER_DEFINITIONS", "PUSHDIVERT", "POPDIVERT");
  private static final int MAX_INCLUDE_DEPTH = 10;

  private final Map<String, McCall> defines = new LinkedHashMap<>();
  private final List<McCall> calls = new ArrayList<>();
  /** Every call, defines too, in the order m4 reads them (for the report's order). */
  private final List<McCall> all = new ArrayList<>();
  private final Set<McCall> used = Collections.newSetFromMap(new IdentityHashMap<>());
  /** cf.m4 was included: m4 comments are off from there on, in included files too. */
  private boolean cfIncluded;

  private McDefinitions() {}

  /** The calls of {@code file} (named as under the root) and of what it includes. */
  static McDefinitions read(Path root, String file) throws IOException, McSyntaxException {
    McDefinitions d = new McDefinitions();
    d.add(root, file, 0);
    return d;
  }

  private void add(Path root, String file, int depth) throws IOException, McSyntaxException {
    String text = Files.readString(SendmailReader.under(root, file), StandardCharsets.ISO_8859_1);
    for (McCall call : McScanner.scan(text, file, !cfIncluded)) {
      all.add(call);
      switch (call.name()) {
        case "define" -> defines.put(call.arg(0), call);
        case "undefine" -> defines.remove(call.arg(0));
        case "include", "sinclude" -> {
          String name = call.arg(0);
          cfIncluded |= name.endsWith("/cf.m4");
          if (name.startsWith("/etc/mail/") && depth < MAX_INCLUDE_DEPTH
              && Files.isRegularFile(SendmailReader.under(root, name))) {
            add(root, name, depth + 1);
          }
        }
        default -> calls.add(call);
      }
    }
  }

  /** The {@code define} of {@code name} in effect, marked as interpreted. */
  Optional<McCall> define(String name) {
    McCall call = defines.get(name);
    if (call != null) {
      used.add(call);
    }
    return Optional.ofNullable(call);
  }

  /** The value {@code name} is defined to. */
  Optional<String> value(String name) {
    return define(name).map(c -> c.arg(1));
  }

  /** The {@code FEATURE(`name', ...)} call, marked as interpreted; the last one wins. */
  Optional<McCall> feature(String name) {
    List<McCall> found = features(name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
  }

  /** Every {@code FEATURE(`name', ...)} call ({@code dnsbl} may come several times), marked. */
  List<McCall> features(String name) {
    List<McCall> found = new ArrayList<>();
    for (McCall call : calls) {
      if (call.name().equals("FEATURE") && call.arg(0).equals(name)) {
        used.add(call);
        found.add(call);
      }
    }
    return found;
  }

  /** Every call of the macro {@code name} ({@code MASQUERADE_DOMAIN}, ...), marked. */
  List<McCall> calls(String name) {
    List<McCall> found = new ArrayList<>();
    for (McCall call : calls) {
      if (call.name().equals(name)) {
        used.add(call);
        found.add(call);
      }
    }
    return found;
  }

  /** The words a class macro adds, and where the first one was set. */
  record Members(List<String> words, String origin) {}

  /**
   * The members {@code MACRO(`a b')} and {@code MACRO_FILE(`/file')} add to a class
   * ({@code RELAY_DOMAIN}, {@code MASQUERADE_DOMAIN}, {@code EXPOSED_USER}, ...), marked.
   */
  Members members(Path root, String macro) throws IOException {
    List<String> words = new ArrayList<>();
    String origin = "";
    for (McCall call : all) {
      if (call.name().equals(macro) || call.name().equals(macro + "_FILE")) {
        used.add(call);
        words.addAll(call.name().equals(macro) ? MasqueradeMapping.words(call.arg(0))
            : ClassFile.read(root, SendmailReader.mapFile(call.arg(0), call.arg(0))).words());
        origin = origin.isEmpty() ? call.origin() : origin;
      }
    }
    return new Members(words, origin);
  }

  /** The features, defines in effect and other calls no reader interpreted, in m4's order. */
  List<McCall> unused() {
    List<McCall> out = new ArrayList<>();
    for (McCall call : all) {
      if (used.contains(call)) {
        continue;
      }
      boolean define = call.name().equals("define") && defines.get(call.arg(0)) == call
          && !call.arg(0).startsWith("_");
      boolean other = call.name().equals("FEATURE")
          || !INERT.contains(call.name()) && isMacroName(call.name());
      if (define || other) {
        out.add(call);
      }
    }
    return out;
  }

  /** sendmail's macros are upper case ({@code MASQUERADE_AS}); lower case words are text. */
  private static boolean isMacroName(String name) {
    return name.equals(name.toUpperCase(java.util.Locale.ROOT));
  }
}
