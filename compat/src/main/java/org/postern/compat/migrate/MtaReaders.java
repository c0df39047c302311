package org.postern.compat.migrate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The readers {@code postern migrate} knows, and which of them find their MTA's
 * configuration under a root. Stateless.
 */
public final class MtaReaders {
  private static final List<MtaReader> ALL =
      List.of(new SendmailReader(), new PostfixReader(), new EximReader());

  private MtaReaders() {}

  /** The names {@code --from} accepts. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (MtaReader r : ALL) {
      names.add(r.name());
    }
    return names;
  }

  public static Optional<MtaReader> named(String name) {
    return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The readers whose MTA left its configuration under {@code root}. */
  public static List<MtaReader> presentIn(Path root) {
    List<MtaReader> present = new ArrayList<>();
    for (MtaReader r : ALL) {
      if (r.presentIn(root)) {
        present.add(r);
      }
    }
    return present;
  }
}
