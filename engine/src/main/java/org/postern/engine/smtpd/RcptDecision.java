package org.postern.engine.smtpd;

/**
 * The policy's answer to one RCPT TO: the verdict and the address to queue (the recipient
 * as given, or virtusertable's rewrite of it for a virtual domain).
 *
 * <p>Immutable.
 */
public record RcptDecision(Verdict verdict, String deliverTo) {}
