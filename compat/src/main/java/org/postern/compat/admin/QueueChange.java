package org.postern.compat.admin;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.compat.mailq.QueueAccess;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueEditor;
import org.postern.engine.queue.QueueEditor.Result;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueScanner;

/**
 * {@code postern queue hold|release|delete|requeue}: applies one change to the selected
 * messages, as postsuper -h, -H, -d and -r do, printing one line per message on stdout
 * ({@code ID: removed}; with {@code --dry-run}, {@code ID: would be removed} and nothing is
 * changed).
 *
 * <p>Trusts {@link QueueAccess} for who may change what: another user's message is
 * {@code postern: queue: ID: permission denied}. A message in active/ is not touched
 * ({@code ID: being delivered, try again}), nor one still in maildrop/ by anything but
 * delete. Diagnostics go to stderr; the exit status is the worst seen: EX_NOPERM (77) for a
 * refusal, EX_TEMPFAIL (75) for a message to try again, 1 for an unknown id, else 0.
 * Not thread-safe.
 */
final class QueueChange {
  /** The changes, with what is printed when done and when nothing needed doing. */
  enum Action {
    HOLD("placed on hold", "already on hold"),
    RELEASE("released from hold", "not on hold"),
    DELETE("removed", "removed"),
    REQUEUE("requeued", "on hold, not requeued");

    private final String done;
    private final String unchanged;

    Action(String done, String unchanged) {
      this.done = done;
      this.unchanged = unchanged;
    }
  }

  private final Invocation inv;
  private final MailSystem system;
  private final QueueAccess access;
  private final Action action;
  private final boolean dryRun;
  private int exit = Sysexit.EX_OK.code();

  QueueChange(Invocation inv, MailSystem system, QueueAccess access, Action action,
      boolean dryRun) {
    this.inv = inv;
    this.system = system;
    this.access = access;
    this.action = action;
    this.dryRun = dryRun;
  }

  int run(QueueSelection selection) throws IOException {
    QueueScanner scanner = new QueueScanner(system.queue(), system.log("showq"));
    QueueEditor editor = new QueueEditor(system.queue(), system.log("postsuper"));
    List<QueueEntry> targets;
    try {
      targets = targets(scanner, selection);
    } catch (AccessDeniedException e) {
      inv.complain("queue: You are not permitted to see the queue");
      return Sysexit.EX_NOPERM.code();
    }
    for (QueueEntry e : targets) {
      if (!access.mayChange(e)) {
        fail(e.id().value(), "permission denied", Sysexit.EX_NOPERM.code());
        continue;
      }
      Result r = dryRun ? preview(e.state()) : perform(editor, e.id());
      report(e.id().value(), r);
    }
    return exit;
  }

  /** The messages selected, in queue order; unknown ids are reported on the way. */
  private List<QueueEntry> targets(QueueScanner scanner, QueueSelection selection)
      throws IOException {
    List<QueueEntry> out = new ArrayList<>();
    if (selection.fromWholeQueue()) {
      scanner.scan().stream().filter(selection::passes).forEach(out::add);
      return out;
    }
    for (String id : selection.ids()) {
      Optional<QueueEntry> e = Optional.empty();
      try {
        if (QueueId.isValid(id)) {
          e = scanner.find(new QueueId(id));
        }
      } catch (AccessDeniedException denied) {
        fail(id, "permission denied", Sysexit.EX_NOPERM.code());
        continue;
      }
      if (e.isEmpty()) {
        fail(id, "no such message", 1);
      } else if (selection.passes(e.get())) {
        out.add(e.get());
      }
    }
    return out;
  }

  private Result perform(QueueEditor editor, QueueId id) throws IOException {
    return switch (action) {
      case HOLD -> editor.hold(id);
      case RELEASE -> editor.release(id);
      case DELETE -> editor.remove(id);
      case REQUEUE -> editor.makeDue(id, true);
    };
  }

  /** What {@link #perform} would do to a message in that state (--dry-run). */
  private Result preview(QueueState state) {
    if (state == QueueState.ACTIVE && action != Action.RELEASE) {
      return Result.BUSY;
    }
    return switch (action) {
      case HOLD -> state == QueueState.HOLD ? Result.UNCHANGED
          : state == QueueState.MAILDROP ? Result.WAITING : Result.DONE;
      case RELEASE -> state == QueueState.HOLD ? Result.DONE : Result.UNCHANGED;
      case DELETE -> Result.DONE;
      case REQUEUE -> state == QueueState.HOLD ? Result.UNCHANGED : Result.DONE;
    };
  }

  private void report(String id, Result r) {
    switch (r) {
      case DONE -> inv.out().println(id + ": " + (dryRun ? "would be " : "") + action.done);
      case UNCHANGED -> inv.out().println(id + ": " + action.unchanged);
      case BUSY -> fail(id, "being delivered, try again", Sysexit.EX_TEMPFAIL.code());
      case WAITING -> fail(id, "waiting for pickup, try again", Sysexit.EX_TEMPFAIL.code());
      case MISSING -> fail(id, "no such message", 1);
    }
  }

  /** One diagnostic line; the exit status keeps the worst (77, then 75, then 1). */
  private void fail(String id, String problem, int code) {
    inv.complain("queue: " + MailLog.printable(id) + ": " + problem);
    if (rank(code) > rank(exit)) {
      exit = code;
    }
  }

  private static int rank(int code) {
    return code == Sysexit.EX_NOPERM.code() ? 3 : code == Sysexit.EX_TEMPFAIL.code() ? 2
        : code == 1 ? 1 : 0;
  }
}
