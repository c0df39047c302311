package org.postern.engine.smtpd;

import java.time.Clock;
import org.postern.engine.global.MailLog;

/**
 * What every session of one listener (or one {@code sendmail -bs} run) shares: settings,
 * policy, where accepted mail goes, the {@code smtpd} log, the uid messages are queued under,
 * and what to call once a message is queued (the daemon wakes its queue runner).
 *
 * <p>Immutable; its parts are thread-safe.
 */
public record SessionContext(
    SessionSettings settings,
    SmtpPolicy policy,
    SmtpIntake intake,
    MailLog log,
    Runnable onQueued,
    Clock clock) {}
