package org.postern.engine.bounce;

import static org.postern.engine.bounce.FieldText.escape;
import static org.postern.engine.bounce.FieldText.field;

import java.time.ZoneId;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.Recipient;

/**
 * Writes the machine-readable part of a notification, the message/delivery-status body (RFC 3464
 * §2.1): one group of per-message fields, then one group per recipient, groups separated by an
 * empty line, fields in the order of the RFC 3464 grammar.
 *
 * <p>Every value from an envelope or a remote server goes through {@link FieldText#escape}, so one
 * value is one field. Stateless and thread-safe.
 */
final class DeliveryStatusWriter {
  private final String reportingMta;
  private final ZoneId zone;

  DeliveryStatusWriter(String reportingMta, ZoneId zone) {
    this.reportingMta = reportingMta;
    this.zone = zone;
  }

  /** The whole body, LF line ends. */
  String write(DsnReport report) {
    StringBuilder b = new StringBuilder(perMessage(report));
    for (RecipientReport r : report.recipients()) {
      b.append('\n').append(perRecipient(report, r));
    }
    return b.toString();
  }

  // RFC 3464 §2.2: per-message fields.
  private String perMessage(DsnReport report) {
    Envelope env = report.envelope();
    StringBuilder b = new StringBuilder();
    String envid = env.attribute(Envelope.ATTR_ENVID);
    if (!envid.isEmpty()) {
      b.append(field("Original-Envelope-Id", escape(envid)));
    }
    b.append(field("Reporting-MTA", "dns; " + escape(reportingMta)));
    b.append(field("X-Postern-Queue-ID", report.queueId().value()));
    b.append(field("X-Postern-Sender", "rfc822; " + escape(env.sender())));
    b.append(field("Arrival-Date", FieldText.date(env.arrivalMillis(), zone)));
    return b.toString();
  }

  // RFC 3464 §2.3: per-recipient fields.
  private String perRecipient(DsnReport report, RecipientReport r) {
    Recipient rcpt = r.recipient();
    StringBuilder b = new StringBuilder();
    if (!rcpt.original().isEmpty() && !rcpt.original().equalsIgnoreCase(rcpt.address())) {
      b.append(field("Original-Recipient", "rfc822; " + escape(rcpt.original())));
    }
    b.append(field("Final-Recipient", "rfc822; " + escape(rcpt.address())));
    b.append(field("Action", report.kind().action()));
    b.append(field("Status", r.status().code()));
    r.remoteMta().ifPresent(mta -> b.append(field("Remote-MTA", "dns; " + escape(mta))));
    if (!r.diagnostic().isEmpty()) {
      b.append(field("Diagnostic-Code", r.diagnosticType() + "; " + escape(r.diagnostic())));
    }
    b.append(field("Last-Attempt-Date", FieldText.date(r.lastAttemptMillis(), zone)));
    report
        .willRetryUntilMillis()
        .ifPresent(t -> b.append(field("Will-Retry-Until", FieldText.date(t, zone))));
    return b.toString();
  }
}
