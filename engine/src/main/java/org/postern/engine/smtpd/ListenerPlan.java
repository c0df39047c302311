package org.postern.engine.smtpd;

import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.dns.PeerName;
import org.postern.engine.dns.Resolver;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.master.MailSystem;
import org.postern.engine.pickup.Pickup;

/**
 * What main.cf asks of the SMTP listeners: each smtpd_listen address with the service of
 * its port (that port's view of main.cf: {@code PORT.name} overrides, 587 requiring TLS),
 * and the limits over all sessions. Every port shares one intake: accepted mail is cleaned
 * and queued under the daemon's uid; ports without {@code PORT.name} settings share one
 * policy (its tables are opened once).
 *
 * <p>Trusts main.cf; a bad value anywhere is a ConfigException before anything is bound or
 * replaced, so a broken reload leaves the running listeners as they were. Unusable TLS
 * certificates are logged, not fatal ({@link ServerTls}). Immutable.
 */
record ListenerPlan(Map<ListenAddress, ListenerService> services, Limits limits, MailLog log) {

  /** default_process_limit and smtpd_client_connection_count_limit (0: none). */
  record Limits(int processLimit, int perClientLimit, int rateLimit, long rateUnitMillis,
      NetworkList rateExceptions) {}

  /** {@code uid}: the daemon's, under which accepted mail is queued. */
  static ListenerPlan of(Config config, MailSystem system, SmtpListener.PolicySource policies,
      Runnable onQueued, int uid) throws ConfigException {
    Clock clock = Clock.systemDefaultZone();
    MailLog log = system.log("smtpd");
    Pickup pickup = new Pickup(system.queue(), new Cleanup(config, system.users(), clock),
        system.log("cleanup"), clock);
    SmtpIntake intake = new PickupIntake(pickup, uid, log);
    Map<Integer, ListenerService> byPort = new HashMap<>();
    Map<ListenAddress, ListenerService> services = new LinkedHashMap<>();
    SmtpPolicy shared = null;
    for (ListenAddress address : ListenAddress.all(config)) {
      ListenerService service = byPort.get(address.port());
      if (service == null) {
        Config view = config.forListener(address.port());
        SmtpPolicy policy;
        if (hasOwnSettings(config, address.port())) {
          policy = policies.open(view);
        } else {
          // The policy reads no listener default: ports without PORT.name share one.
          if (shared == null) {
            shared = policies.open(config);
          }
          policy = shared;
        }
        SessionContext context = new SessionContext(SessionSettings.from(view),
            ServerTls.from(view, log), policy, intake, log, onQueued, clock);
        service = new ListenerService(context, view.bool(Params.SMTPD_PEERNAME_LOOKUP)
            ? Optional.of(new PeerName(Resolver.from(view), log)) : Optional.empty());
        byPort.put(address.port(), service);
      }
      services.put(address, service);
    }
    Limits limits = new Limits(
        (int) Math.max(1, Math.min(Integer.MAX_VALUE,
            config.number(Params.DEFAULT_PROCESS_LIMIT))),
        (int) Math.min(Integer.MAX_VALUE,
            config.number(Params.SMTPD_CLIENT_CONNECTION_COUNT_LIMIT)),
        (int) Math.min(Integer.MAX_VALUE,
            config.number(Params.SMTPD_CLIENT_CONNECTION_RATE_LIMIT)),
        Math.max(1, config.millis(Params.ANVIL_RATE_TIME_UNIT)),
        NetworkList.from(config, Params.SMTPD_CLIENT_EVENT_LIMIT_EXCEPTIONS));
    return new ListenerPlan(Collections.unmodifiableMap(services), limits, log);
  }

  /** Whether main.cf sets any {@code PORT.name} for this port. */
  private static boolean hasOwnSettings(Config config, int port) {
    String prefix = port + ".";
    return config.mainCf().settings().keySet().stream().anyMatch(n -> n.startsWith(prefix));
  }
}
