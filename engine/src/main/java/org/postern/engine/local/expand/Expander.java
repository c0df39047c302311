package org.postern.engine.local.expand;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.postern.engine.global.Config;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.DeliveryRights;
import org.postern.engine.local.LocalRecipient;
import org.postern.engine.local.RecipientResolver;
import org.postern.engine.local.RunAs;
import org.postern.maps.aliases.AliasValue;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;
import org.postern.maps.virtual.VirtualResult;
import org.postern.maps.virtual.VirtualUserTable;

/**
 * Expands a local recipient as sendmail and Postfix's local(8) do: aliases, then the user's
 * forward file, then the mailbox (spec c.3, d). Members may be addresses (expanded again),
 * {@code &#92;user} (the mailbox, no further expansion), {@code |command}, {@code /file},
 * {@code :include:FILE} and {@code error:[D.S.N:]code text}. Each destination is delivered
 * once; an alias, forward file or include met again on its own path is a loop ("aliasing/
 * forwarding loop broken"), except a name in its own expansion, which means its mailbox
 * (Postfix); an address already in a Delivered-To header is "mail forwarding loop" (5.4.6).
 * {@code owner-LIST} takes LIST's errors.
 *
 * <p>Trusts main.cf, the alias tables and passwd. Does not trust forward and include files:
 * {@link SafeFile} decides whether they are obeyed (an unsafe .forward is ignored with a log
 * line; an unsafe include is a temporary failure the admin can fix), and commands and files
 * are allowed only from the sources in {@code allow_mail_to_commands/files}. Lookup failures
 * are TempFailExceptions. Thread-safe: each expansion has its own state.
 */
public final class Expander {
  private static final int MAX_DEPTH = 30;

  /** Members one recipient may expand to: lists of thousands, not millions. */
  static final int MAX_MEMBERS = 20_000;

  /** How long one recipient's expansion may take (slow NSS or NFS homes: try later). */
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final RecipientResolver resolver;
  private final AliasMaps aliases;
  private final UserDirectory users;
  private final ForwardPath forwardPath;
  private final SafeFile safeFile;
  private final Set<String> commandSources;
  private final Set<String> fileSources;
  private final DeliveryRights rights;
  private final String myorigin;
  private final MailLog log;

  public Expander(
      Config config, RecipientResolver resolver, AliasMaps aliases, UserDirectory users,
      int ourUid, MailLog log) {
    this.resolver = resolver;
    this.aliases = aliases;
    this.users = users;
    this.forwardPath = new ForwardPath(config);
    this.safeFile = new SafeFile(ourUid);
    this.commandSources = Set.copyOf(lower(config.list(Params.ALLOW_MAIL_TO_COMMANDS)));
    this.fileSources = Set.copyOf(lower(config.list(Params.ALLOW_MAIL_TO_FILES)));
    this.rights = new DeliveryRights(users, config.get(Params.DEFAULT_PRIVS));
    this.myorigin = config.get(Params.MYORIGIN);
    this.log = log;
  }

  /**
   * The expansion of local {@code recipient}; {@code deliveredTo} holds the addresses in the
   * message's Delivered-To headers (lower case).
   */
  public Expansion expand(String recipient, Set<String> deliveredTo) throws TempFailException {
    Run run = new Run(deliveredTo);
    Trail top = new Trail(List.of(), List.of(), Optional.empty(), List.of());
    try {
      return new Expansion(run.address(recipient, top, Source.TOP, false, ""), run.leaves);
    } catch (LimitReached e) {
      // Nothing of a runaway expansion is delivered: the recipient fails as a whole.
      log.warning("<" + recipient + ">: " + e.status.text());
      Run failed = new Run(deliveredTo);
      ExpansionNode root = failed.leaf(recipient, "",
          new Destination.Failure(recipient, e.status), top);
      return new Expansion(root, failed.leaves);
    }
  }

  /** Where a member came from: decides whether commands and files are allowed. */
  private enum Source {
    TOP("top"),
    ALIAS("alias"),
    FORWARD("forward"),
    INCLUDE("include");

    final String name;

    Source(String name) {
      this.name = name;
    }
  }

  /**
   * The way down to a member: expansion keys (alias:x, forward:u, include:f) for loop
   * detection, addresses for bounces, the owner for errors, Delivered-To addresses.
   */
  private record Trail(
      List<String> keys, List<String> path, Optional<String> owner, List<String> expandedFrom) {
    Trail down(String key, String address, Optional<String> newOwner, String deliveredTo) {
      List<String> k = new ArrayList<>(keys);
      k.add(key);
      List<String> p = new ArrayList<>(path);
      p.add(address);
      List<String> d = new ArrayList<>(expandedFrom);
      if (!d.contains(deliveredTo)) {
        d.add(deliveredTo);
      }
      return new Trail(k, p, newOwner.or(() -> owner), d);
    }
  }

  /** The identity and self name of the alias, forward file or include being expanded. */
  private record Context(Source source, RunAs runAs, String self, String address) {}

  /** Thrown through a run that went past {@link #MAX_MEMBERS} or {@link #MAX_NANOS}. */
  private static final class LimitReached extends RuntimeException {
    final DsnStatus status;

    LimitReached(DsnStatus status) {
      super(status.text(), null, false, false);
      this.status = status;
    }
  }

  /**
   * One expansion's state: destinations seen and leaves in order, the aliases, forward and
   * include files already expanded (each once per message), and the budget.
   */
  private final class Run {
    final Set<String> deliveredTo;
    final Set<String> seen = new HashSet<>();
    final Set<String> expanded = new HashSet<>();
    final List<Leaf> leaves = new ArrayList<>();
    final long deadline = System.nanoTime() + MAX_NANOS;
    int members;

    Run(Set<String> deliveredTo) {
      this.deliveredTo = deliveredTo;
    }

    /** Counts one member against the budget. */
    void spend() {
      if (++members > MAX_MEMBERS) {
        throw new LimitReached(new DsnStatus("5.5.3",
            "alias expansion exceeds " + MAX_MEMBERS + " members"));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new LimitReached(new DsnStatus("4.3.0", "alias expansion took longer than "
            + TimeUnit.NANOSECONDS.toSeconds(MAX_NANOS) + " seconds"));
      }
    }

    /** Whether {@code key} is met for the first time in this message; else a stub node. */
    Optional<ExpansionNode> expandedBefore(String key, String member, String via,
        String origin) {
      if (expanded.add(key)) {
        return Optional.empty();
      }
      return Optional.of(ExpansionNode.branch(member, via + " (expanded before)", origin,
          List.of()));
    }

    ExpansionNode address(String member, Trail trail, Source from, boolean mailboxOnly,
        String origin) throws TempFailException {
      String address = member;
      if (address.startsWith("\\")) {
        address = address.substring(1);
        mailboxOnly = true;
      }
      if (trail.keys().size() > MAX_DEPTH) {
        return failure(member, origin, trail, "5.4.6", "alias expansion too deep");
      }
      LocalRecipient r = resolver.resolve(address);
      if (r instanceof LocalRecipient.Remote remote) {
        return leaf(member, origin, new Destination.Forward(remote.address()), trail);
      }
      String local = localPart(address);
      String qualified = qualify(address, local);
      if (!mailboxOnly) {
        Optional<AliasMaps.Hit> hit = aliases.lookup(local);
        if (hit.isPresent()) {
          return alias(member, hit.get(), qualified, trail, origin);
        }
      }
      if (!(r instanceof LocalRecipient.User user)) {
        return leaf(member, origin, new Destination.Unknown(qualified, local), trail);
      }
      if (!mailboxOnly) {
        Optional<ExpansionNode> fwd = forward(member, user, qualified, trail, origin);
        if (fwd.isPresent()) {
          return fwd.get();
        }
      }
      return leaf(member, origin,
          new Destination.Mailbox(user.user(), user.address(), user.extension()), trail);
    }

    ExpansionNode alias(String member, AliasMaps.Hit hit, String qualified, Trail trail,
        String origin) throws TempFailException {
      String key = "alias:" + hit.key();
      if (trail.keys().contains(key)) {
        return failure(member, origin, trail, "5.4.6", "aliasing/forwarding loop broken");
      }
      if (deliveredTo.contains(qualified.toLowerCase(Locale.ROOT))) {
        return failure(member, origin, trail, "5.4.6", "mail forwarding loop for " + qualified);
      }
      Optional<ExpansionNode> before = expandedBefore(key, member,
          "alias " + hit.key() + " (" + hit.table() + ")", origin);
      if (before.isPresent()) {
        return before.get();
      }
      Optional<String> owner = hit.key().startsWith("owner-")
          ? Optional.empty()
          : aliases.lookup("owner-" + hit.key()).map(h -> "owner-" + hit.key() + "@" + myorigin);
      Trail down = trail.down(key, member, owner, qualified);
      Context ctx = new Context(Source.ALIAS, rights.ofOwner(hit.ownerUid()), hit.key(), qualified);
      String where = hit.source().map(Path::toString).orElse(hit.table());
      List<ExpansionNode> kids = new ArrayList<>();
      for (String m : AliasValue.split(hit.value())) {
        kids.add(member(m, ctx, down, where));
      }
      if (kids.isEmpty()) {
        kids.add(failure(member, origin, down, "5.1.1", "alias " + hit.key() + " is empty"));
      }
      return ExpansionNode.aliasBranch(member, hit, origin, kids);
    }

    Optional<ExpansionNode> forward(String member, LocalRecipient.User user, String qualified,
        Trail trail, String origin) throws TempFailException {
      PasswdEntry u = user.user();
      String key = "forward:" + u.name();
      if (trail.keys().contains(key)) {
        return Optional.empty(); // the user in its own .forward: the mailbox (Postfix)
      }
      String domain = qualified.substring(qualified.lastIndexOf('@') + 1);
      RunAs as = RunAs.of(u);
      for (Path file : forwardPath.candidates(u, localPart(qualified), domain, user.extension())) {
        List<MemberFile.Member> members;
        try {
          MemberFile.Contents read = MemberFile.read(file, as, safeFile, u.uid());
          if (read.problem().isPresent()) {
            log.warning("forward file " + file + " is " + read.problem().get() + ": ignored");
            return Optional.empty();
          }
          members = read.members();
        } catch (NoSuchFileException e) {
          continue; // a later file is used only when an earlier one does not exist
        } catch (IOException e) {
          throw new TempFailException("4.3.0", "cannot read forward file " + file + ": " + e, e);
        }
        if (members.isEmpty()) {
          return Optional.empty(); // an empty .forward means normal delivery
        }
        if (deliveredTo.contains(qualified.toLowerCase(Locale.ROOT))) {
          return Optional.of(
              failure(member, origin, trail, "5.4.6", "mail forwarding loop for " + qualified));
        }
        Optional<ExpansionNode> before = expandedBefore(key, member, ".forward " + file, origin);
        if (before.isPresent()) {
          return before;
        }
        Trail down = trail.down(key, member, Optional.empty(), qualified);
        Context ctx = new Context(Source.FORWARD, as, u.name(), qualified);
        List<ExpansionNode> kids = new ArrayList<>();
        for (MemberFile.Member m : members) {
          kids.add(member(m.text(), ctx, down, file + ":" + m.line()));
        }
        return Optional.of(ExpansionNode.branch(member, ".forward " + file, origin, kids));
      }
      return Optional.empty();
    }

    ExpansionNode member(String m, Context ctx, Trail trail, String origin)
        throws TempFailException {
      spend();
      if (m.startsWith("|")) {
        if (!commandSources.contains(ctx.source().name)) {
          return failure(m, origin, trail, "5.7.1", "mail to command is restricted");
        }
        return leaf(m, origin, new Destination.Command(m.substring(1),
            rights.unprivileged(ctx.runAs()), ctx.address()), trail);
      }
      if (m.startsWith("/")) {
        if (!fileSources.contains(ctx.source().name)) {
          return failure(m, origin, trail, "5.7.1", "mail to file is restricted");
        }
        return leaf(m, origin, new Destination.File(Path.of(m),
            rights.unprivileged(ctx.runAs())), trail);
      }
      String lower = m.toLowerCase(Locale.ROOT);
      if (lower.startsWith(":include:")) {
        return include(m, m.substring(":include:".length()).strip(), ctx, trail, origin);
      }
      if (lower.startsWith("error:")) {
        VirtualResult v = VirtualUserTable.interpret(m);
        if (v instanceof VirtualResult.Error e) {
          return failure(m, origin, trail, e.reply().dsn(), e.reply().code() + " "
              + e.reply().text());
        }
      }
      boolean self = !m.startsWith("\\") && localPart(m).equals(ctx.self())
          && !(resolver.resolve(m) instanceof LocalRecipient.Remote);
      return address(m, trail, ctx.source(), self, origin);
    }

    ExpansionNode include(String member, String name, Context ctx, Trail trail, String origin)
        throws TempFailException {
      Path file = Path.of(name);
      if (!file.isAbsolute()) {
        return failure(member, origin, trail, "5.3.5", "include file name is not absolute");
      }
      String key = "include:" + file;
      if (trail.keys().contains(key)) {
        return failure(member, origin, trail, "5.4.6", "aliasing/forwarding loop broken");
      }
      Optional<ExpansionNode> before = expandedBefore(key, member, ":include: " + file, origin);
      if (before.isPresent()) {
        return before.get(); // one read per message, however many lists name the file
      }
      List<MemberFile.Member> members;
      int owner;
      try {
        // Read with the rights of whoever named it: the kernel decides, not our checks.
        MemberFile.Contents read = MemberFile.read(file, ctx.runAs(), safeFile, -1);
        if (read.problem().isPresent()) {
          log.warning("include file " + file + " is " + read.problem().get() + ": not obeyed");
          return failure(member, origin, trail, "4.7.0",
              "include file " + file + " is " + read.problem().get());
        }
        members = read.members();
        owner = read.owner();
      } catch (IOException e) {
        // Missing or unreadable: sendmail queues the message until it can be read.
        return failure(member, origin, trail, "4.3.0", "cannot open include file " + file
            + ": " + reason(e));
      }
      Trail down = trail.down(key, member, Optional.empty(), ctx.address());
      // Postfix local/include.c: a user's .forward keeps the user's rights; root's (and an
      // alias's) take the include file owner's, default_privs when that is root.
      RunAs as = ctx.source() == Source.FORWARD && ctx.runAs().uid() != 0 ? ctx.runAs()
          : rights.ofOwner(owner);
      Context inner = new Context(Source.INCLUDE, as, ctx.self(), ctx.address());
      List<ExpansionNode> kids = new ArrayList<>();
      for (MemberFile.Member m : members) {
        kids.add(member(m.text(), inner, down, file + ":" + m.line()));
      }
      return ExpansionNode.branch(member, ":include: " + file, origin, kids);
    }

    ExpansionNode leaf(String member, String origin, Destination d, Trail trail) {
      boolean duplicate = !seen.add(d.key());
      if (!duplicate) {
        List<String> path = new ArrayList<>(trail.path());
        path.add(member);
        leaves.add(new Leaf(d, path, trail.owner(), trail.expandedFrom()));
      }
      return ExpansionNode.leaf(member, origin, d, duplicate);
    }

    ExpansionNode failure(String member, String origin, Trail trail, String dsn, String text) {
      return leaf(member, origin, new Destination.Failure(member, new DsnStatus(dsn, text)),
          trail);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    return e.getMessage();
  }

  private String qualify(String address, String local) {
    int at = address.lastIndexOf('@');
    String domain = at < 0 ? myorigin : address.substring(at + 1).toLowerCase(Locale.ROOT);
    return local + "@" + domain;
  }

  private static String localPart(String address) {
    String a = address.startsWith("\\") ? address.substring(1) : address;
    int at = a.lastIndexOf('@');
    String local = at < 0 ? a : a.substring(0, at);
    return local.toLowerCase(Locale.ROOT);
  }

  private static List<String> lower(List<String> in) {
    List<String> out = new ArrayList<>();
    for (String s : in) {
      out.add(s.toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
