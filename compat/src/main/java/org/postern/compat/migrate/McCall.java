package org.postern.compat.migrate;

import java.util.List;

/**
 * One m4 macro call read from a sendmail .mc file, as {@code FEATURE(`authinfo')} or
 * {@code define(`SMART_HOST', `[relay.example]')}: its name, its arguments with m4's outer
 * quotes removed and leading blanks stripped, and the file and line where the name stands.
 *
 * <p>Trusts nothing about the arguments: they are the administrator's text. Immutable.
 */
record McCall(String name, List<String> args, String file, int line) {
  McCall {
    args = List.copyOf(args);
  }

  /** The argument at {@code index}, or the empty string when the call has fewer. */
  String arg(int index) {
    return index < args.size() ? args.get(index) : "";
  }

  /** {@code sendmail.mc:12}: where the call stands, for the report. */
  String origin() {
    return file + ":" + line;
  }
}
