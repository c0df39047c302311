package org.postern.engine.master;

import java.io.IOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import org.postern.engine.bounce.BounceComposer;
import org.postern.engine.bounce.QueuedNotifier;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.cleanup.EnvelopeRewriter;
import org.postern.engine.cleanup.VirtualAliasing;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.DeliveryRights;
import org.postern.engine.local.Forwarder;
import org.postern.engine.local.Handoff;
import org.postern.engine.local.HomeMailbox;
import org.postern.engine.local.LocalDelivery;
import org.postern.engine.local.MailboxCommand;
import org.postern.engine.local.MailboxDelivery;
import org.postern.engine.local.MailboxTransport;
import org.postern.engine.local.QueueingHandoff;
import org.postern.engine.local.LocalRecipient;
import org.postern.engine.local.expand.AliasMaps;
import org.postern.engine.local.expand.Expander;
import org.postern.engine.local.file.FileDelivery;
import org.postern.engine.local.maildir.MaildirWriter;
import org.postern.engine.local.pipe.CommandDelivery;
import org.postern.engine.local.LocalUsers;
import org.postern.engine.local.service.LocalClient;
import org.postern.engine.local.service.LocalSocket;
import org.postern.engine.global.Transport;
import org.postern.engine.local.RecipientResolver;
import org.postern.engine.local.mbox.MboxAppender;
import org.postern.engine.local.mbox.MboxSettings;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.qmgr.Backoff;
import org.postern.engine.qmgr.DestinationTls;
import org.postern.engine.qmgr.MailboxPass;
import org.postern.engine.qmgr.RemoteDelivery;
import org.postern.engine.qmgr.QueueRunner;
import org.postern.engine.qmgr.Router;
import org.postern.engine.qmgr.Scheduler;
import org.postern.engine.dns.Resolver;
import org.postern.engine.global.ConfiguredTable;
import org.postern.engine.route.LmtpHop;
import org.postern.engine.route.NextHop;
import org.postern.engine.route.RemoteRoutes;
import org.postern.engine.route.SelfAddresses;
import org.postern.engine.route.ServerFinder;
import org.postern.engine.smtp.ClientSettings;
import org.postern.engine.smtp.GenericMapping;
import org.postern.engine.smtp.SaslPasswords;
import org.postern.engine.smtp.SmtpClient;
import org.postern.engine.smtp.Transcript;
import org.postern.maps.Table;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;
import org.postern.engine.qmgr.RunnerLock;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.LookupException;

/**
 * One instance's mail system, assembled from its configuration: the queue, its users, and
 * the components of a queue run (pickup, cleanup, router, local delivery, notices). The
 * shared skeleton the commands (and later the daemon) start from.
 *
 * <p>Trusts the configuration it was given; a bad value fails fast as a ConfigException
 * naming the key. A foreground queue run holds the runner lock for its duration; the daemon
 * feeds a {@link Scheduler} instead. The remote routes and the SMTP client side (connection
 * cache, unreachable destinations) are made at the first run and kept, so the daemon's
 * deliveries share them. Thread-safe.
 */
public final class MailSystem {
  private final Config config;
  private final QueueDirectory queue;
  private final LocalUsers users;
  private final RecipientResolver resolver;
  private final AliasMaps aliases;
  private final EnvelopeRewriter envelope;
  private final GenericMapping generic;
  // Made at the first queue run, then shared by every run of this system.
  private RemoteRoutes routes;
  private RemoteDelivery remote;
  private LocalClient localClient;
  // The daemon's queue run components, made at its first feed.
  private QueueRunner scheduled;

  private MailSystem(Config config, LocalUsers users, EnvelopeRewriter envelope,
      GenericMapping generic) {
    this.config = config;
    this.queue = new QueueDirectory(config.path(Params.QUEUE_DIRECTORY));
    this.users = users;
    this.resolver = new RecipientResolver(config, users);
    this.aliases = new AliasMaps(config, log("local"));
    this.envelope = envelope;
    this.generic = generic;
  }

  public static MailSystem open(Config config) throws ConfigException {
    return new MailSystem(config, users(config), EnvelopeRewriter.open(config),
        GenericMapping.open(config));
  }

  private static LocalUsers users(Config config) throws ConfigException {
    try {
      return LocalUsers.open(config);
    } catch (LookupException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  public Config config() {
    return config;
  }

  public QueueDirectory queue() {
    return queue;
  }

  public LocalUsers users() {
    return users;
  }

  public RecipientResolver resolver() {
    return resolver;
  }

  /** The instance's virtusertable, as cleanup applies it to every recipient. */
  public VirtualAliasing virtual() {
    return envelope.virtual();
  }

  /** The instance's envelope rewriting, as cleanup applies it to all mail. */
  public EnvelopeRewriter envelope() {
    return envelope;
  }

  /** The instance's smtp_generic_maps, as the SMTP client applies it. */
  public GenericMapping generic() {
    return generic;
  }

  /** The instance's alias tables (alias_maps), opened on first lookup. */
  public AliasMaps aliases() {
    return aliases;
  }

  /** Alias, .forward and :include: expansion as local delivery does it. */
  public Expander expander() throws IOException {
    return new Expander(config, resolver, aliases, users, ProcessIdentity.current().uid(),
        log("local"));
  }

  /**
   * Whether mail to {@code address} can be accepted: after the recipient canonical maps (as
   * Postfix's smtpd accepts a canonical_maps key), virtusertable gives no refusal, and each
   * address it becomes is not local, or a local user or alias (sendmail's "User unknown").
   */
  public boolean knowsRecipient(String address) throws TempFailException {
    VirtualAliasing.Rewrite w = rewriteRecipient(address);
    if (w.refusal().isPresent()) {
      return false;
    }
    for (String a : w.addresses()) {
      if (!knowsUnaliased(a)) {
        return false;
      }
    }
    return true;
  }

  /**
   * What cleanup makes of the recipient {@code address}: recipient canonical maps and
   * masquerading, then virtusertable, with the entries of all of them that applied.
   */
  public VirtualAliasing.Rewrite rewriteRecipient(String address) throws TempFailException {
    return envelope.recipient(address);
  }

  private boolean knowsUnaliased(String address) throws TempFailException {
    if (!(resolver.resolve(address) instanceof LocalRecipient.Unknown u)) {
      return true;
    }
    return aliases.lookup(u.localPart()).isPresent();
  }

  public MailLog log(String program) {
    return MailLog.open(config, program);
  }

  /**
   * Runs the queue in this process until no submission is waiting: waits for a running
   * queue run to finish first, then repeats while submitters keep leaving triggers.
   */
  public QueueRunner.Report runQueue(boolean all) throws IOException, ConfigException {
    return run(all ? QueueRunner.Scope.ALL : QueueRunner.Scope.DUE, Transcript.NONE);
  }

  /** As {@link #runQueue}, passing every SMTP client line to {@code dialogue} (sendmail -v). */
  public QueueRunner.Report runQueue(boolean all, Transcript dialogue)
      throws IOException, ConfigException {
    return run(all ? QueueRunner.Scope.ALL : QueueRunner.Scope.DUE, dialogue);
  }

  /**
   * The daemon's scheduler: deliveries start as mail arrives, each destination within its
   * concurrency limit. {@code wake} is called after each delivery (it may have queued mail).
   */
  public Scheduler scheduler(Runnable wake) throws ConfigException, IOException {
    return Scheduler.open(queue.root(), concurrency(), wake, log("qmgr"));
  }

  /**
   * Feeds {@code scheduler} new mail and the deferred mail {@code scope} selects, with this
   * configuration's components, without waiting for deliveries; false when a queue run by
   * hand holds the queue (feed again later).
   */
  public boolean schedule(Scheduler scheduler, QueueRunner.Scope scope)
      throws IOException, ConfigException {
    return scheduler.feed(scheduled(), scope);
  }

  private synchronized QueueRunner scheduled() throws ConfigException, IOException {
    if (scheduled == null) {
      scheduled = runner(Transcript.NONE);
    }
    return scheduled;
  }

  private QueueRunner.Report run(QueueRunner.Scope first, Transcript dialogue)
      throws IOException, ConfigException {
    QueueRunner runner = runner(dialogue);
    QueueRunner.Scope again =
        first == QueueRunner.Scope.NEW ? QueueRunner.Scope.NEW : QueueRunner.Scope.DUE;
    QueueRunner.Report last;
    try (RunnerLock lock = RunnerLock.acquire(queue.root())) {
      do {
        lock.takeTrigger();
        last = runner.run(first);
        while (lock.takeTrigger()) {
          last = merge(last, runner.run(again));
        }
      } while (lock.releaseAndRecheck());
    }
    return last;
  }

  private static QueueRunner.Report merge(QueueRunner.Report a, QueueRunner.Report b) {
    var picked = new java.util.LinkedHashMap<>(a.pickedUp());
    picked.putAll(b.pickedUp());
    var deferred = new java.util.HashSet<>(a.deferred());
    deferred.addAll(b.deferred());
    return new QueueRunner.Report(picked, deferred, a.attempted() + b.attempted());
  }

  private QueueRunner runner(Transcript dialogue) throws ConfigException, IOException {
    Clock clock = Clock.systemDefaultZone();
    QueuedNotifier notifier = notifier(clock);
    Router router = new Router(resolver, localTransport(), routes(), envelope.virtual());
    return new QueueRunner(
        queue,
        new Pickup(queue, new Cleanup(config, users, clock), log("pickup"), clock),
        router,
        remote(clock),
        notifier,
        Backoff.from(config),
        concurrency(),
        new QueueRunner.Logs(log("qmgr"), log("local"), log("smtp"), log("lmtp"), dialogue),
        clock);
  }

  private QueueRunner.Concurrency concurrency() throws ConfigException {
    return new QueueRunner.Concurrency(
        (int) config.number(Params.LOCAL_DESTINATION_CONCURRENCY_LIMIT),
        (int) config.number(Params.DEFAULT_DESTINATION_CONCURRENCY_LIMIT),
        (int) config.number(Params.DEFAULT_PROCESS_LIMIT));
  }

  /**
   * How local recipients are delivered: by the local delivery service over its socket
   * (local_delivery_service = yes, the system instance: the daemon is not root), else here.
   */
  private synchronized Transport localTransport() throws ConfigException, IOException {
    Optional<MailboxTransport> mailboxes = Optional.empty();
    if (passesMailboxes()) {
      Clock clock = Clock.systemDefaultZone();
      mailboxes = Optional.of(new MailboxPass(remote(clock), lmtpHop(Params.MAILBOX_TRANSPORT,
          config.get(Params.MAILBOX_TRANSPORT)), log("lmtp"), clock));
    }
    if (!config.bool(Params.LOCAL_DELIVERY_SERVICE)) {
      LocalDelivery local = localDelivery();
      return mailboxes.map(local::passingMailboxesTo).orElse(local).handingOffTo(handoff());
    }
    if (localClient == null) {
      // Kept for the life of this system (it owns a timer thread). The service may run a
      // command for up to command_time_limit; then it answers. Mailboxes it passes back
      // (mailbox_transport) are delivered here: root's service speaks no LMTP.
      Duration limit = Duration.ofMillis(config.millis(Params.COMMAND_TIME_LIMIT));
      localClient = new LocalClient(LocalSocket.path(config), limit.plusSeconds(60), handoff(),
          mailboxes, log("local"));
    }
    return localClient;
  }

  /**
   * Whether mailbox deliveries go to mailbox_transport (an LMTP store) rather than to the
   * local mailbox; a value that is not an LMTP destination is a ConfigException.
   */
  public boolean passesMailboxes() throws ConfigException {
    String value = config.get(Params.MAILBOX_TRANSPORT);
    if (value.isBlank()) {
      return false;
    }
    lmtpHop(Params.MAILBOX_TRANSPORT, value);
    return true;
  }

  /**
   * Queues in this system's queue the copies local delivery forwards and the notices to list
   * owners (local delivery in this process, or handed back by the local delivery service).
   */
  private Handoff handoff() throws ConfigException {
    return new QueueingHandoff(new Forwarder(queue, envelope, log("local")),
        notifier(Clock.systemDefaultZone()));
  }

  /** Queues delivery notices, addressed as cleanup would address them. */
  private QueuedNotifier notifier(Clock clock) throws ConfigException {
    return new QueuedNotifier(queue, composer(clock), envelope, log("bounce"));
  }

  /**
   * The local delivery agent (aliases, .forward, mailboxes, commands, files); the caller
   * says where what it forwards goes ({@link Handoff}).
   */
  public LocalDelivery localDelivery() throws ConfigException, IOException {
    ProcessIdentity me = ProcessIdentity.current();
    MailLog localLog = log("local");
    MboxSettings mbox = MboxSettings.from(config);
    MboxAppender appender = new MboxAppender(mbox, localLog);
    CommandDelivery commands = new CommandDelivery(
        Duration.ofMillis(config.millis(Params.COMMAND_TIME_LIMIT)), me, mbox.fromStyle(),
        localLog);
    MailboxDelivery mailboxes = new MailboxDelivery(
        new MailboxDelivery.Agents(appender, new MaildirWriter(config.get(Params.MYHOSTNAME),
            ProcessHandle.current().pid(), Clock.systemUTC(), localLog), commands),
        new MailboxDelivery.Stores(
            MailboxCommand.from(config, new TableOpener(config.root(), localLog::warning)),
            HomeMailbox.from(config), config.path(Params.MAIL_SPOOL_DIRECTORY)),
        new DeliveryRights(users, config.get(Params.DEFAULT_PRIVS)), me.isRoot());
    return new LocalDelivery(
        expander(),
        new LocalDelivery.Agents(mailboxes, commands, new FileDelivery(appender)),
        (int) config.number(Params.HOPCOUNT_LIMIT),
        config.get(Params.RECIPIENT_DELIMITER),
        localLog);
  }

  /**
   * Refuses, as a ConfigException naming main.cf's line, a local delivery setting every local
   * delivery would fail on (mailbox_command, home_mailbox, deliver_lock_attempts, ...): the
   * daemon, its start and {@code postern check} call it, as Postfix's local(8) dies at its
   * start rather than at the first mail. Assembles the local delivery agent and drops it.
   */
  public void checkDelivery() throws ConfigException, IOException {
    localDelivery();
  }

  private BounceComposer composer(Clock clock) throws ConfigException {
    return new BounceComposer(
        config.get(Params.MYHOSTNAME), config.number(Params.BOUNCE_SIZE_LIMIT), clock);
  }

  /** mailertable and relayhost, opened once (a rebuilt table is followed by its reader). */
  private synchronized RemoteRoutes routes() throws ConfigException {
    if (routes == null) {
      TableOpener opener = new TableOpener(config.root(), log("qmgr")::warning);
      Table mailertable = ConfiguredTable.open(config, Params.MAILERTABLE_MAP, opener);
      String relayhost = config.get(Params.RELAYHOST).strip();
      Set<String> virtualDomains = new HashSet<>();
      for (String d : config.list(Params.VIRTUAL_MAILBOX_DOMAINS)) {
        virtualDomains.add(d.toLowerCase(java.util.Locale.ROOT));
      }
      Optional<LmtpHop> virtualTransport = virtualDomains.isEmpty() ? Optional.empty()
          : Optional.of(lmtpHop(Params.VIRTUAL_TRANSPORT,
              config.get(Params.VIRTUAL_TRANSPORT)));
      routes = new RemoteRoutes(mailertable,
          relayhost.isEmpty() ? Optional.empty() : Optional.of(NextHop.parse(relayhost)),
          virtualDomains, virtualTransport);
    }
    return routes;
  }

  /** A transport parameter's LMTP destination; a socket path is relative to the queue. */
  private LmtpHop lmtpHop(ConfigKey key, String value) throws ConfigException {
    return LmtpHop.parse(key.name(), value, config.path(Params.QUEUE_DIRECTORY));
  }

  /** The SMTP client side, kept for the life of this system (connection cache, dead hops). */
  private synchronized RemoteDelivery remote(Clock clock) throws ConfigException {
    if (remote == null) {
      MailLog smtpLog = log("smtp");
      ClientSettings settings = ClientSettings.from(config);
      TableOpener opener = new TableOpener(config.root(), smtpLog::warning);
      Table policies = ConfiguredTable.open(config, Params.SMTP_TLS_POLICY_MAPS, opener);
      ServerFinder finder = new ServerFinder(Resolver.from(config), protocols(),
          SelfAddresses.from(config));
      RemoteDelivery.Limits limits = new RemoteDelivery.Limits(
          (int) config.number(Params.DEFAULT_DESTINATION_CONCURRENCY_LIMIT),
          (int) config.number(Params.DEFAULT_DESTINATION_RECIPIENT_LIMIT),
          config.millis(Params.MINIMAL_BACKOFF_TIME),
          config.millis(Params.SMTP_CONNECTION_CACHE_TIME_LIMIT),
          (int) config.number(Params.HOPCOUNT_LIMIT));
      SaslPasswords passwords = settings.sasl().enabled()
          ? new SaslPasswords(ConfiguredTable.open(config, Params.SMTP_SASL_PASSWORD_MAPS, opener),
              TableSpec.parse(config.get(Params.SMTP_SASL_PASSWORD_MAPS).strip()).type()
                  .equals("authinfo"))
          : SaslPasswords.NONE;
      remote = new RemoteDelivery(SmtpClient.create(settings, passwords, smtpLog), generic,
          finder, new DestinationTls(settings.tlsLevel(), config.bool(Params.SMTP_TLS_WRAPPERMODE),
              policies), limits, clock);
    }
    return remote;
  }

  private ServerFinder.Protocols protocols() throws ConfigException {
    String v = config.get(Params.INET_PROTOCOLS).strip().toLowerCase(java.util.Locale.ROOT);
    switch (v) {
      case "all", "ipv4, ipv6", "ipv4,ipv6", "ipv6, ipv4", "ipv6,ipv4":
        return ServerFinder.Protocols.ALL;
      case "ipv4":
        return ServerFinder.Protocols.IPV4;
      case "ipv6":
        return ServerFinder.Protocols.IPV6;
      default:
        throw new ConfigException("bad " + Params.INET_PROTOCOLS.name() + " value \"" + v
            + "\": expected all, ipv4 or ipv6");
    }
  }
}
