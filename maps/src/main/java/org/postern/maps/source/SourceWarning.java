package org.postern.maps.source;

import java.util.Objects;

/**
 * One diagnostic about one line of a table source, as the front ends print it: {@code COMMAND:
 * warning: FILE, line N: TEXT} (Postfix's msg_warn shape, which postmap and makemap both use here
 * so that every bad line names file and line).
 *
 * <p>Immutable.
 */
public record SourceWarning(String file, int line, String text) {
  public SourceWarning {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
  }

  /** The stderr line for {@code command} ({@code postmap}, {@code makemap}), no newline. */
  public String format(String command) {
    return command + ": warning: " + file + ", line " + line + ": " + text;
  }
}
