package org.postern.engine.smtpd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session's client did, for Postfix's disconnect line:
 * {@code ehlo=1 mail=1 rcpt=0/1 data=1 quit=1 commands=4/5} (succeeded/tried, the tried count
 * shown only when some failed), commands in Postfix's order, unknown ones as {@code unknown}.
 *
 * <p>One per session; not thread-safe.
 */
final class CommandCounts {
  private static final List<String> ORDER =
      List.of("helo", "ehlo", "starttls", "mail", "rcpt", "data", "bdat", "rset", "noop", "vrfy",
          "etrn", "quit", "unknown");

  private final Map<String, int[]> counts = new LinkedHashMap<>();

  /** Counts one command; {@code verb} outside the known set counts as unknown. */
  void record(String verb, boolean ok) {
    String name = ORDER.contains(verb) ? verb : "unknown";
    int[] c = counts.computeIfAbsent(name, k -> new int[2]);
    c[0] += ok ? 1 : 0;
    c[1]++;
  }

  /** The counts as the disconnect line writes them (empty for a silent client). */
  String summary() {
    StringBuilder s = new StringBuilder();
    int ok = 0;
    int all = 0;
    for (String name : ORDER) {
      int[] c = counts.get(name);
      if (c != null) {
        s.append(' ').append(name).append('=').append(ratio(c[0], c[1]));
        ok += c[0];
        all += c[1];
      }
    }
    return s.append(" commands=").append(ratio(ok, all)).toString();
  }

  private static String ratio(int ok, int all) {
    return ok == all ? Integer.toString(ok) : ok + "/" + all;
  }
}
