package org.postern.engine.smtpd;

import java.time.Clock;
import org.postern.engine.global.MailLog;

/**
 * What every session of one listener (or one {@code sendmail -bs} run) shares: settings,
 * STARTTLS setup, policy, where accepted mail goes, the {@code smtpd} log, and what to call
 * once a message is queued (the daemon wakes its queue runner). A reload builds new ones;
 * sessions keep the context they started with.
 *
 * <p>Immutable; its parts are thread-safe.
 */
public record SessionContext(
    SessionSettings settings,
    ServerTls tls,
    SmtpPolicy policy,
    SmtpIntake intake,
    MailLog log,
    Runnable onQueued,
    Clock clock) {}
