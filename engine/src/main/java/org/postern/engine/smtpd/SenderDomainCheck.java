package org.postern.engine.smtpd;

import java.util.Optional;
import org.postern.engine.dns.Answer;
import org.postern.engine.dns.MxHost;
import org.postern.engine.dns.Resolver;
import org.postern.engine.global.Config;
import org.postern.engine.global.TempFailException;

/**
 * sendmail's check that a MAIL FROM domain exists (on unless accept_unresolvable_domains): it
 * needs an MX record or, failing that, an A/AAAA record, since a bounce could not be
 * delivered otherwise (RFC 5321 section 5.1). Not checked: the null sender, an unqualified
 * sender, an address literal, and our own domains (mydestination).
 *
 * <p>Trusts the sender to be parsed and syntax-checked by the session. NXDOMAIN, or no MX and
 * no address, is permanent (550 5.1.8); a lookup that fails for now is 450 4.1.8, never an
 * accept nor a permanent refusal. A null MX (RFC 7505 section 4.2) refuses with 550 5.7.27.
 * Thread-safe.
 */
final class SenderDomainCheck {
  private final Config config;
  private final Resolver resolver;

  SenderDomainCheck(Config config, Resolver resolver) {
    this.config = config;
    this.resolver = resolver;
  }

  Verdict check(String sender) {
    Optional<String> domain = checkedDomain(sender);
    if (domain.isEmpty()) {
      return Verdict.OK;
    }
    try {
      Answer<MxHost> mx = resolver.mx(domain.get());
      if (mx.found()) {
        boolean nullMx = mx.records().size() == 1 && mx.records().get(0).nullMx();
        return nullMx ? PolicyReplies.senderNullMx(sender) : Verdict.OK;
      }
      if (mx.kind() == Answer.Kind.NO_DATA && resolver.addresses(domain.get()).found()) {
        return Verdict.OK;
      }
      return PolicyReplies.senderDomainUnknown(sender);
    } catch (TempFailException e) {
      return PolicyReplies.senderDomainUnresolved(sender);
    }
  }

  /** The domain to look up, if the sender has one that is neither a literal nor ours. */
  private Optional<String> checkedDomain(String sender) {
    int at = sender.lastIndexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    String domain = sender.substring(at + 1);
    if (domain.startsWith("[") || config.isLocalDomain(domain)) {
      return Optional.empty();
    }
    return Optional.of(domain);
  }
}
