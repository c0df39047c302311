package org.postern.engine.smtpd;

/**
 * The policy's answer to one RCPT TO: the verdict and the address to queue (the recipient
 * as given, its routing hops followed; cleanup applies virtusertable to it).
 *
 * <p>Immutable.
 */
public record RcptDecision(Verdict verdict, String deliverTo) {}
