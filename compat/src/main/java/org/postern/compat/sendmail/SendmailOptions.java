package org.postern.compat.sendmail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.postern.compat.mailq.QueueFilter;

/**
 * One sendmail command line, parsed: the mode, the envelope and delivery settings, the queue
 * run request, the recipients, and the flags accepted but not acted on.
 *
 * <p>Built only by {@link SendmailOptionParser}; values are as the user typed them (the sender
 * may carry a display name, recipients are unchecked strings). Absent options are empty
 * Optionals, never null. Immutable and thread-safe.
 */
public final class SendmailOptions {
  private final OperationMode mode;
  private final Optional<String> configDir;
  private final Optional<String> sender;
  private final Optional<String> fullName;
  private final Optional<BodyType> bodyType;
  private final Optional<Set<DsnNotify>> dsnNotify;
  private final Optional<DsnRet> dsnRet;
  private final Optional<String> envid;
  private final OptionalInt hopCount;
  private final boolean ignoreDots;
  private final boolean extractRecipients;
  private final boolean verbose;
  private final boolean noAliasing;
  private final boolean gateway;
  private final boolean printVersion;
  private final ErrorMode errorMode;
  private final DeliveryMode deliveryMode;
  private final List<String> aliasFiles;
  private final Optional<QueueRun> queueRun;
  private final Optional<Quarantine> quarantine;
  private final Optional<String> logTag;
  private final Optional<String> protocol;
  private final Optional<String> protocolHost;
  private final List<String> ignoredOptions;
  private final List<String> recipients;

  private SendmailOptions(Builder b) {
    mode = b.mode;
    configDir = b.configDir;
    sender = b.sender;
    fullName = b.fullName;
    bodyType = b.bodyType;
    dsnNotify = b.dsnNotifyGiven ? Optional.of(notifySet(b.dsnNotify)) : Optional.empty();
    dsnRet = b.dsnRet;
    envid = b.envid;
    hopCount = b.hopCount;
    ignoreDots = b.ignoreDots;
    extractRecipients = b.extractRecipients;
    verbose = b.verbose;
    noAliasing = b.noAliasing;
    gateway = b.gateway;
    printVersion = b.printVersion;
    errorMode = b.errorMode;
    deliveryMode = b.verbose ? DeliveryMode.INTERACTIVE : b.deliveryMode;
    aliasFiles = List.copyOf(b.aliasFiles);
    queueRun = b.queueRun.isPresent() ? Optional.of(b.queueRun.get().build()) : Optional.empty();
    quarantine = b.quarantine;
    logTag = b.logTag;
    protocol = b.protocol;
    protocolHost = b.protocolHost;
    ignoredOptions = List.copyOf(b.ignoredOptions);
    recipients = List.copyOf(b.recipients);
  }

  private static Set<DsnNotify> notifySet(Set<DsnNotify> given) {
    return Set.copyOf(given.isEmpty() ? EnumSet.of(DsnNotify.NEVER) : given);
  }

  /** From argv[0], then {@code -b}, {@code -I}, {@code -q} and {@code -Q}. */
  public OperationMode mode() {
    return mode;
  }

  /** {@code -C}; a bare {@code -C} gives {@code sendmail.cf}, as sendmail's pre-pass does. */
  public Optional<String> configDir() {
    return configDir;
  }

  /**
   * {@code -f} or {@code -r} exactly as given (present means "sender given"); it may be a
   * bare address, {@code <addr>}, {@code Name <addr>}, {@code <>} or empty.
   */
  public Optional<String> sender() {
    return sender;
  }

  /** True when {@code -f ''} or {@code -f '<>'} asked for the null sender (RFC 5321 §4.5.5). */
  public boolean isNullSender() {
    return sender.map(s -> s.isBlank() || s.strip().equals("<>")).orElse(false);
  }

  /** {@code -F}; cleared by a later {@code -q} or {@code -Q}, as in sendmail. */
  public Optional<String> fullName() {
    return fullName;
  }

  /** {@code -B}. */
  public Optional<BodyType> bodyType() {
    return bodyType;
  }

  /** {@code -N}: {@code {NEVER}} or a non-empty subset of SUCCESS, FAILURE, DELAY. */
  public Optional<Set<DsnNotify>> dsnNotify() {
    return dsnNotify;
  }

  /** {@code -R}. */
  public Optional<DsnRet> dsnRet() {
    return dsnRet;
  }

  /** {@code -V}: DSN ENVID, already checked to be xtext (RFC 3461 §4). */
  public Optional<String> envid() {
    return envid;
  }

  /** {@code -h}. */
  public OptionalInt hopCount() {
    return hopCount;
  }

  /** {@code -i}, {@code -oi}, {@code -O IgnoreDots}: a lone "." does not end the input. */
  public boolean ignoreDots() {
    return ignoreDots;
  }

  /** {@code -t}. */
  public boolean extractRecipients() {
    return extractRecipients;
  }

  /** {@code -v}, {@code -ov}, {@code -O Verbose}. */
  public boolean verbose() {
    return verbose;
  }

  /** {@code -n}: no aliasing and no .forward. */
  public boolean noAliasing() {
    return noAliasing;
  }

  /** {@code -G}: relay (gateway) submission; skip header completion. */
  public boolean gateway() {
    return gateway;
  }

  /** A {@code -d} flag set debug category 0 to level 1 or more ({@code -d0.1}). */
  public boolean printVersion() {
    return printVersion;
  }

  public ErrorMode errorMode() {
    return errorMode;
  }

  /** The delivery mode in force: {@link DeliveryMode#INTERACTIVE} whenever verbose. */
  public DeliveryMode deliveryMode() {
    return deliveryMode;
  }

  /** {@code -oA} / {@code -O AliasFile} values in order; each adds to sendmail's list. */
  public List<String> aliasFiles() {
    return aliasFiles;
  }

  /** Present when any {@code -q} was given (also with -bd, -bD, -bp and -bP). */
  public Optional<QueueRun> queueRun() {
    return queueRun;
  }

  /** The queue selection of the {@code -q} flags, {@link QueueFilter#NONE} without any. */
  public QueueFilter queueFilter() {
    return queueRun.map(QueueRun::filter).orElse(QueueFilter.NONE);
  }

  /** {@code -Q[reason]}. */
  public Optional<Quarantine> quarantine() {
    return quarantine;
  }

  /** {@code -L}: at most 32 characters, non-printables and '%' replaced by '*'. */
  public Optional<String> logTag() {
    return logTag;
  }

  /** The protocol part of {@code -p proto[:host]}. */
  public Optional<String> protocol() {
    return protocol;
  }

  /** The host part of {@code -p proto[:host]}. */
  public Optional<String> protocolHost() {
    return protocolHost;
  }

  /** Flags accepted but not acted on, as typed with their values ({@code -Ac}, {@code -o7}). */
  public List<String> ignoredOptions() {
    return ignoredOptions;
  }

  /** The operands after the options, split at top-level commas. */
  public List<String> recipients() {
    return recipients;
  }

  /** Mutable state while the parser walks the options; used by the parser only. */
  static final class Builder {
    OperationMode mode = OperationMode.DELIVER;
    Optional<String> configDir = Optional.empty();
    Optional<String> sender = Optional.empty();
    Optional<String> fullName = Optional.empty();
    Optional<BodyType> bodyType = Optional.empty();
    final Set<DsnNotify> dsnNotify = EnumSet.noneOf(DsnNotify.class);
    boolean dsnNotifyGiven;
    Optional<DsnRet> dsnRet = Optional.empty();
    Optional<String> envid = Optional.empty();
    OptionalInt hopCount = OptionalInt.empty();
    boolean ignoreDots;
    boolean extractRecipients;
    boolean verbose;
    boolean noAliasing;
    boolean gateway;
    boolean printVersion;
    ErrorMode errorMode = ErrorMode.PRINT;
    DeliveryMode deliveryMode = DeliveryMode.BACKGROUND;
    final List<String> aliasFiles = new ArrayList<>();
    Optional<QueueRun.Builder> queueRun = Optional.empty();
    Optional<Quarantine> quarantine = Optional.empty();
    Optional<String> logTag = Optional.empty();
    Optional<String> protocol = Optional.empty();
    Optional<String> protocolHost = Optional.empty();
    final List<String> ignoredOptions = new ArrayList<>();
    final List<String> recipients = new ArrayList<>();

    QueueRun.Builder queueRun() {
      if (queueRun.isEmpty()) {
        queueRun = Optional.of(new QueueRun.Builder());
      }
      return queueRun.get();
    }

    SendmailOptions build() {
      return new SendmailOptions(this);
    }
  }
}
