package org.postern.maps.aliases;

import java.util.Objects;

/**
 * One problem with one entry of an aliases file, in sendmail's words. {@code line} is the
 * line sendmail names: the last physical line of the entry (sendmail's {@code LineNumber}
 * after reading the continuation lines). {@code error} is true for what sendmail reports
 * with {@code syserr} (the entry is skipped), false for warnings (the entry is kept).
 *
 * <p>Immutable.
 */
public record AliasDiagnostic(String file, int line, String text, boolean error) {
  public AliasDiagnostic {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
  }

  /** The stderr line, no newline: {@code FILE: line N: TEXT} (sendmail's fmtmsg shape). */
  public String format() {
    return file + ": line " + line + ": " + text;
  }
}
