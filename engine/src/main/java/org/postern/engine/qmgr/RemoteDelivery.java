package org.postern.engine.qmgr;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.postern.engine.cleanup.MessageHead;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.MailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.engine.route.LmtpHop;
import org.postern.engine.route.NextHop;
import org.postern.engine.route.ServerFinder;
import org.postern.engine.smtp.Destination;
import org.postern.engine.smtp.Endpoint;
import org.postern.engine.smtp.GenericMapping;
import org.postern.engine.smtp.OutgoingMessage;
import org.postern.engine.smtp.Protocol;
import org.postern.engine.smtp.RecipientResult;
import org.postern.engine.smtp.Session;
import org.postern.engine.smtp.SessionFailure;
import org.postern.engine.smtp.SmtpClient;
import org.postern.engine.smtp.TlsLevel;
import org.postern.engine.smtp.Transcript;
import org.postern.engine.smtp.TransactionResult;

/**
 * Delivers one message's recipients for one next hop over SMTP or LMTP, the way Postfix's
 * queue manager feeds smtp(8) and lmtp(8): all of them in as few transactions as the recipient limit allows
 * (one copy per destination, not per recipient), at most {@code concurrency} sessions per
 * destination at once, sessions reused from the connection cache, and a destination that
 * could not be reached at all left alone (deferred without connecting) for a while. Each
 * message goes out with its addresses through smtp_generic_maps.
 *
 * <p>Trusts the queue file (validated by the caller). Never throws for a delivery problem:
 * every recipient gets an outcome. Thread-safe; one instance serves every delivery thread
 * of the process, so the cache and the dead-destination list outlive a single queue run.
 */
public final class RemoteDelivery implements AutoCloseable {
  /** One recipient's outcome, the server's reply that decided it, and the relay= value. */
  record Result(Recipient recipient, DeliveryOutcome outcome, Optional<RecipientResult> smtp,
      String relay) {}

  /**
   * The knobs of Postfix's qmgr and smtp(8) this class obeys: sessions per destination,
   * recipients per transaction, how long an unreachable destination is left alone, how long
   * an idle session is kept, and hopcount_limit.
   */
  public record Limits(int concurrency, int recipients, long deadMillis, long cacheMillis,
      int hops) {}

  private final SmtpClient client;
  private final GenericMapping generic;
  private final ServerFinder servers;
  private final DestinationTls tls;
  private final Limits limits;
  private final Clock clock;
  private final DeadDestinations dead = new DeadDestinations();
  private final SessionCache cache;
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

  public RemoteDelivery(SmtpClient client, GenericMapping generic, ServerFinder servers,
      DestinationTls tls, Limits limits, Clock clock) {
    this.client = client;
    this.generic = generic;
    this.servers = servers;
    this.tls = tls;
    this.limits = limits;
    this.clock = clock;
    this.cache = new SessionCache(limits.cacheMillis());
  }

  List<Result> deliver(QueueId id, QueueFile message, NextHop hop, List<Recipient> rcpts,
      Transcript transcript) {
    return deliver(id, message, hop.toString(), () -> new Destination(hop.host(),
        servers.find(hop), tls.level(hop), tls.wrapperMode(hop), hop.toString(),
        message.envelope().sender()), rcpts, transcript);
  }

  /**
   * LMTP delivery to a store (Postfix's lmtp(8)): the same transactions, sessions and cache
   * as SMTP, keyed {@code lmtp:DESTINATION}; a socket's server is named by our host name, a
   * host's addresses are looked up without MX; no TLS (Postfix's lmtp_tls_security_level
   * default).
   */
  List<Result> deliver(QueueId id, QueueFile message, LmtpHop hop, List<Recipient> rcpts,
      Transcript transcript) {
    return deliver(id, message, "lmtp:" + hop, () -> {
      if (hop instanceof LmtpHop.Unix u) {
        return Destination.lmtp(u.written(),
            List.of(client.unixEndpoint(u.path(), u.written())));
      }
      NextHop inet = ((LmtpHop.Inet) hop).hop();
      return Destination.lmtp(inet.host(), servers.find(inet));
    }, rcpts, transcript);
  }

  /** Finds a destination's servers; a lookup failure is the recipients' outcome. */
  @FunctionalInterface
  private interface Lookup {
    Destination find() throws MailException;
  }

  private List<Result> deliver(QueueId id, QueueFile message, String key, Lookup lookup,
      List<Recipient> rcpts, Transcript transcript) {
    cache.expire(clock.millis());
    Optional<DeliveryOutcome> suspended = suspension(key);
    if (suspended.isPresent()) {
      return all(rcpts, suspended.get(), "none");
    }
    Destination destination;
    try {
      if (MessageHead.of(message).hops() > limits.hops()) {
        return all(rcpts, DeliveryOutcome.bounced("5.4.6", "too many hops"), "none");
      }
      destination = lookup.find();
    } catch (MailException e) {
      return all(rcpts, DeliveryOutcome.of(e), "none");
    }
    List<Result> out = new ArrayList<>();
    int step = Math.max(1, limits.recipients());
    for (int from = 0; from < rcpts.size(); from += step) {
      List<Recipient> chunk = rcpts.subList(from, Math.min(rcpts.size(), from + step));
      out.addAll(transaction(id, message, key, destination, chunk, transcript));
    }
    return out;
  }

  private List<Result> transaction(QueueId id, QueueFile message, String key,
      Destination destination, List<Recipient> chunk, Transcript transcript) {
    Semaphore gate = slots.computeIfAbsent(key, k -> new Semaphore(limits.concurrency()));
    try {
      gate.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return all(chunk, DeliveryOutcome.deferred("4.3.0", "delivery interrupted"), "none");
    }
    try {
      // Another thread may have found the destination dead while this one waited.
      Optional<DeliveryOutcome> suspended = suspension(key);
      if (suspended.isPresent()) {
        return all(chunk, suspended.get(), "none");
      }
      OutgoingMessage outgoing;
      try {
        outgoing = generic.apply(OutgoingMessage.of(id.toString(), message, chunk));
      } catch (IOException e) {
        return all(chunk, DeliveryOutcome.deferred("4.3.0",
            "cannot read the queued message: " + e.getMessage()), "none");
      } catch (TempFailException e) {
        return all(chunk, DeliveryOutcome.of(e), "none");
      }
      boolean cached = transcript == Transcript.NONE;
      // A session logged in for one sender must not carry another sender's mail.
      String cacheKey = client.loginBySender() ? key + " " + destination.sender() : key;
      Session session = cached ? cache.take(cacheKey, clock.millis()).orElse(null) : null;
      if (session == null) {
        try {
          session = client.connect(destination, transcript);
        } catch (SessionFailure f) {
          if (f.status().isTemporary()) {
            dead.markDead(key, f.status().text(), clock.millis() + limits.deadMillis());
          }
          // Postfix's relay=none: no server took part in a conversation.
          TransactionResult failed = f.resultFor(chunk);
          return f.remote().isEmpty() ? all(chunk, failed.recipients().get(0).outcome(), "none")
              : results(failed);
        }
      }
      TransactionResult result = session.send(outgoing);
      dead.markAlive(key);
      if (cached) {
        cache.give(cacheKey, session, clock.millis());
      } else {
        session.close();
      }
      return results(result);
    } finally {
      gate.release();
    }
  }

  /** Postfix's deferral for a destination found dead, while it stays so. */
  private Optional<DeliveryOutcome> suspension(String key) {
    return dead.reason(key, clock.millis()).map(reason -> DeliveryOutcome.deferred("4.4.1",
        "delivery temporarily suspended: " + reason));
  }

  private static List<Result> results(TransactionResult t) {
    List<Result> out = new ArrayList<>();
    for (RecipientResult r : t.recipients()) {
      out.add(new Result(r.recipient(), r.outcome(), Optional.of(r), t.relay()));
    }
    return out;
  }

  private static List<Result> all(List<Recipient> rcpts, DeliveryOutcome outcome,
      String relay) {
    List<Result> out = new ArrayList<>();
    for (Recipient r : rcpts) {
      out.add(new Result(r, outcome, Optional.empty(), relay));
    }
    return out;
  }

  @Override
  public void close() {
    cache.closeAll();
    client.close();
  }
}
