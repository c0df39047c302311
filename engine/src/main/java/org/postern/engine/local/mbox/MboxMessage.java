package org.postern.engine.local.mbox;

import java.util.List;

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
 */
public record MboxMessage(String sender, List<String> prependedHeaders, MessageContent content) {
  public MboxMessage {
    requireOneLine(sender, "sender");
    prependedHeaders = List.copyOf(prependedHeaders);
    for (String header : prependedHeaders) {
      requireOneLine(header, "prepended header");
    }
    if (content == null) {
      throw new IllegalArgumentException("no message content");
    }
  }

  private static void requireOneLine(String s, String what) {
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(what + " contains a line break");
    }
  }
}
