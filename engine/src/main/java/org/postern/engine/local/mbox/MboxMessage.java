package org.postern.engine.local.mbox;

import java.util.List;
import java.util.Optional;

/**
 * One message as it is to be appended to an mbox: envelope sender, the header lines to put in
 * front of it (Postfix's Return-Path, X-Original-To, Delivered-To) and its content.
 *
 * <p>Checks that the sender and the prepended lines hold no CR or LF, so no caller can break
 * the mbox structure by injecting a line; the queue reader is expected to have rejected such
 * input already, so a violation is a bug (IllegalArgumentException), not a mail failure.
 * Immutable and thread-safe as long as {@code content} is.
 *
 * @param sender the envelope sender; empty for the null sender ({@code <>})
 * @param prependedHeaders complete header lines without line ends, written in order
 * @param content the message itself, streamed
 * @param queueId the queue id our Received header of the content names, when it comes from
 *     the queue; lets a repeated attempt recognise its own append ({@link RepeatedAppend})
 */
public record MboxMessage(String sender, List<String> prependedHeaders, MessageContent content,
    Optional<String> queueId) {
  public MboxMessage {
    requireOneLine(sender, "sender");
    queueId.ifPresent(id -> requireOneLine(id, "queue id"));
    prependedHeaders = List.copyOf(prependedHeaders);
    for (String header : prependedHeaders) {
      requireOneLine(header, "prepended header");
    }
    if (content == null) {
      throw new IllegalArgumentException("no message content");
    }
  }

  /** A message that did not come from the queue (dead.letter): never taken for a repeat. */
  public MboxMessage(String sender, List<String> prependedHeaders, MessageContent content) {
    this(sender, prependedHeaders, content, Optional.empty());
  }

  /** This message with its content read from {@code other} (a stream opened beforehand). */
  public MboxMessage withContent(MessageContent other) {
    return new MboxMessage(sender, prependedHeaders, other, queueId);
  }

  private static void requireOneLine(String s, String what) {
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(what + " contains a line break");
    }
  }
}
