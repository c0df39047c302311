package org.postern.compat.sendmail;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses a sendmail command line as sendmail 8.17's main.c does (spec a.1, a.2, a.5).
 *
 * <p>Three steps, as in sendmail: the {@link ObsoleteArgs} pre-pass, a silent first getopt
 * pass that settles the {@code -b} mode (so {@code -q} and {@code -Q} can be checked against
 * it wherever it appears), then the real pass in argument order. Trusts nothing in argv. The
 * first error sendmail would print becomes a {@link UsageException} (exit 64); deviation:
 * sendmail keeps going after some errors and prints each, and tolerates them under -bt and -bC;
 * we stop at the first. Delivery is not touched here. One instance per parse; the static entry
 * point is thread-safe.
 */
public final class SendmailOptionParser {
  /** sendmail 8.17's getopt string (read from the binary), plus Postfix's no-op {@code x}. */
  static final String OPTSTRING = "A:B:b:C:cD:d:e:F:f:Gh:IiL:M:mN:nO:o:p:Q:q:R:r:sTtUV:vX:x";

  private static final Set<OperationMode> QUEUE_RUN_MODES = EnumSet.of(OperationMode.DELIVER,
      OperationMode.DAEMON, OperationMode.DAEMON_FOREGROUND, OperationMode.PRINT_QUEUE,
      OperationMode.QUEUE_COUNT, OperationMode.QUEUE_RUN);

  private final SendmailOptions.Builder options = new SendmailOptions.Builder();
  private final OptionSetter setter = new OptionSetter(options);
  private Optional<String> bodyType = Optional.empty();

  private SendmailOptionParser() {}

  /**
   * Parses {@code args} (argv without argv[0]) for the program called {@code programName}
   * (argv[0]'s basename: {@code newaliases}, {@code mailq}, ... choose the initial mode).
   */
  public static SendmailOptions parse(String programName, List<String> args)
      throws UsageException {
    List<String> argv = ObsoleteArgs.rewrite(args, OPTSTRING);
    SendmailOptionParser parser = new SendmailOptionParser();
    parser.options.mode = modePass(OperationMode.ofProgramName(programName), argv);
    return parser.optionPass(argv);
  }

  /** sendmail's first getopt loop: -b (last one wins) and the -D/-d order, nothing else. */
  private static OperationMode modePass(OperationMode initial, List<String> argv)
      throws UsageException {
    OperationMode mode = initial;
    boolean debugSeen = false;
    Getopt getopt = new Getopt(OPTSTRING, argv);
    while (true) {
      Optional<Getopt.Option> next;
      try {
        next = getopt.next();
      } catch (UsageException silent) {
        // sendmail runs this pass with opterr = 0; the option pass reports the error.
        continue;
      }
      if (next.isEmpty()) {
        return mode;
      }
      char letter = next.get().letter();
      if (letter == 'b') {
        mode = modeOfFlag(next.get().value().orElseThrow());
      } else if (letter == 'd') {
        debugSeen = true;
      } else if (letter == 'D' && debugSeen) {
        throw new UsageException("-D file must be before -d");
      }
    }
  }

  private static OperationMode modeOfFlag(String value) throws UsageException {
    if (value.startsWith("z")) {
      throw new UsageException("Frozen configurations unsupported");
    }
    String letter = value.isEmpty() ? "" : value.substring(0, 1);
    return OperationMode.ofFlag(value.isEmpty() ? '\0' : value.charAt(0))
        .orElseThrow(() -> new UsageException("Invalid operation mode " + letter));
  }

  /** sendmail's second getopt loop ("Crack argv"), then the operands. */
  private SendmailOptions optionPass(List<String> argv) throws UsageException {
    Getopt getopt = new Getopt(OPTSTRING, argv);
    for (Optional<Getopt.Option> next = getopt.next(); next.isPresent(); next = getopt.next()) {
      apply(next.get().letter(), next.get().value().orElse(""));
    }
    for (String operand : getopt.operands()) {
      options.recipients.addAll(AddressListSplitter.split(operand));
    }
    // sendmail checks the body type only after every flag was accepted.
    if (bodyType.isPresent()) {
      options.bodyType = Optional.of(BodyType.ofValue(bodyType.get()));
    }
    return options.build();
  }

  private void apply(char letter, String value) throws UsageException {
    switch (letter) {
      case 'b' -> {
        // Settled by the mode pass.
      }
      case 'B' -> bodyType = Optional.of(value);
      case 'C' -> options.configDir = Optional.of(value);
      case 'd' -> debug(value);
      case 'e' -> setter.setShort("e" + value);
      case 'F' -> options.fullName = Optional.of(value);
      case 'f', 'r' -> sender(value);
      case 'G' -> options.gateway = true;
      case 'h' -> options.hopCount = OptionalInt.of(hopCount(value));
      case 'I' -> options.mode = OperationMode.NEWALIASES;
      case 'i' -> options.ignoreDots = true;
      case 'L' -> options.logTag = Optional.of(logTag(value));
      case 'N' -> {
        options.dsnNotifyGiven = true;
        DsnNotify.addTo(options.dsnNotify, value);
      }
      case 'n' -> options.noAliasing = true;
      case 'O' -> setter.setLong(value);
      case 'o' -> setter.setShort(value);
      case 'p' -> protocol(value);
      case 'Q' -> quarantine(value);
      case 'q' -> queueRun(value);
      case 'R' -> dsnRet(value);
      case 't' -> options.extractRecipients = true;
      case 'V' -> envid(value);
      case 'v' -> options.verbose = true;
      // Accepted and not acted on ([SM8] obsolete or debugging flags, Postfix's -x).
      case 'A', 'D', 'M', 'X' -> options.ignoredOptions.add("-" + letter + value);
      default -> options.ignoredOptions.add("-" + letter);
    }
  }

  private void sender(String value) throws UsageException {
    if (options.sender.isPresent()) {
      throw new UsageException("More than one \"from\" person");
    }
    options.sender = Optional.of(value);
  }

  private void dsnRet(String value) throws UsageException {
    if (options.dsnRet.isPresent()) {
      throw new UsageException("Duplicate -R flag");
    }
    options.dsnRet = Optional.of(DsnRet.ofValue(value));
  }

  private void envid(String value) throws UsageException {
    if (!isXtext(value)) {
      throw new UsageException("Invalid syntax in -V flag");
    }
    options.envid = Optional.of(value);
  }

  private void protocol(String value) {
    int colon = value.indexOf(':');
    String proto = colon < 0 ? value : value.substring(0, colon);
    String host = colon < 0 ? "" : value.substring(colon + 1);
    if (!proto.isEmpty()) {
      options.protocol = Optional.of(proto);
    }
    if (!host.isEmpty()) {
      options.protocolHost = Optional.of(host);
    }
  }

  private void quarantine(String value) throws UsageException {
    OperationMode mode = options.mode;
    if (mode != OperationMode.DELIVER && mode != OperationMode.QUEUE_RUN) {
      throw new UsageException("Can not use -Q with -b" + mode.letter());
    }
    options.mode = OperationMode.QUEUE_RUN;
    options.fullName = Optional.empty();
    options.quarantine = Optional.of(Quarantine.ofValue(value));
  }

  private void queueRun(String value) throws UsageException {
    OperationMode mode = options.mode;
    if (!QUEUE_RUN_MODES.contains(mode)) {
      throw new UsageException("Can not use -q with -b" + mode.letter());
    }
    // -q does not override -bd, -bD or -bp: there it sets the interval or the filters.
    if (mode == OperationMode.DELIVER) {
      options.mode = OperationMode.QUEUE_RUN;
    }
    options.fullName = Optional.empty();
    options.queueRun().add(value);
  }

  /** -d takes sendmail debug flags {@code first[-last][.level],...}; 0.1 prints the version. */
  private void debug(String value) {
    for (String item : value.split(",")) {
      int dot = item.indexOf('.');
      String categories = dot < 0 ? item : item.substring(0, dot);
      String level = dot < 0 ? "1" : item.substring(dot + 1);
      String first = categories.split("-", 2)[0];
      if (first.matches("0+") && level.matches("\\d+") && !level.matches("0+")) {
        options.printVersion = true;
        return;
      }
    }
    options.ignoredOptions.add("-d" + value);
  }

  /** strtol() semantics as sendmail uses them: trailing junk is an error, "" is 0. */
  private static int hopCount(String value) throws UsageException {
    if (value.isEmpty()) {
      return 0;
    }
    String trimmed = value.stripLeading();
    if (!trimmed.matches("[+-]?\\d+")) {
      throw new UsageException("Bad hop count (" + value + ")");
    }
    try {
      return Integer.parseInt(trimmed);
    } catch (NumberFormatException tooLarge) {
      throw new UsageException("Bad hop count (" + value + ")");
    }
  }

  /** sendmail keeps 32 characters of -L and replaces non-printables and '%' by '*'. */
  private static String logTag(String value) {
    String tag = value.substring(0, Math.min(32, value.length()));
    StringBuilder out = new StringBuilder(tag.length());
    for (char c : tag.toCharArray()) {
      out.append(c < 0x20 || c > 0x7e || c == '%' ? '*' : c);
    }
    return out.toString();
  }

  /** RFC 3461 §4 xtext, as sendmail's xtextok() checks it ('+' then two hex digits). */
  private static boolean isXtext(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '+') {
        if (i + 2 >= value.length() || !isHex(value.charAt(i + 1))
            || !isHex(value.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c < '!' || c > '~' || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
