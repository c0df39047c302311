package org.postern.compat.sendmail;

import java.util.List;
import java.util.Optional;

/**
 * POSIX getopt(3) over an argument vector, with the BSD diagnostics sendmail prints.
 *
 * <p>Options may be grouped ({@code -ti}); a value is attached ({@code -fuser}) or the next
 * argument ({@code -f user}), even if that argument starts with '-'. Scanning stops at the first
 * non-option (a lone {@code -} is one) and at {@code --}, which is consumed. An unknown letter
 * or a missing value throws a {@link UsageException}, after advancing past the bad option so a
 * silent first pass (sendmail's {@code opterr = 0}) can carry on. Trusts nothing in the
 * arguments. One instance per scan; not thread-safe.
 */
public final class Getopt {
  /** One parsed option: its letter and, for letters followed by ':' in the optstring, value. */
  public record Option(char letter, Optional<String> value) {}

  private final String optstring;
  private final List<String> args;
  private int optind;
  private int place;
  private boolean done;

  /** {@code args} excludes argv[0]. */
  public Getopt(String optstring, List<String> args) {
    this.optstring = optstring;
    this.args = List.copyOf(args);
  }

  /** The next option, or empty once option processing has stopped. */
  public Optional<Option> next() throws UsageException {
    if (done) {
      return Optional.empty();
    }
    if (place == 0 && !startArgument()) {
      done = true;
      return Optional.empty();
    }
    String arg = args.get(optind);
    char letter = arg.charAt(place++);
    boolean argumentExhausted = place >= arg.length();
    int index = letter == ':' ? -1 : optstring.indexOf(letter);
    if (index < 0) {
      if (argumentExhausted) {
        nextArgument();
      }
      throw new UsageException("illegal option -- " + letter);
    }
    if (!takesValue(index)) {
      if (argumentExhausted) {
        nextArgument();
      }
      return Optional.of(new Option(letter, Optional.empty()));
    }
    String value;
    if (!argumentExhausted) {
      value = arg.substring(place);
    } else if (optind + 1 < args.size()) {
      value = args.get(++optind);
    } else {
      nextArgument();
      throw new UsageException("option requires an argument -- " + letter);
    }
    nextArgument();
    return Optional.of(new Option(letter, Optional.of(value)));
  }

  /** The arguments left after option processing stopped: the operands (recipients). */
  public List<String> operands() {
    return args.subList(Math.min(optind, args.size()), args.size());
  }

  /** Positions at the letters of args[optind]; false when option processing ends there. */
  private boolean startArgument() {
    if (optind >= args.size()) {
      return false;
    }
    String arg = args.get(optind);
    if (arg.length() < 2 || arg.charAt(0) != '-') {
      return false;
    }
    if (arg.equals("--")) {
      optind++;
      return false;
    }
    place = 1;
    return true;
  }

  private void nextArgument() {
    optind++;
    place = 0;
  }

  private boolean takesValue(int index) {
    return index + 1 < optstring.length() && optstring.charAt(index + 1) == ':';
  }
}
