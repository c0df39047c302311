package org.postern.engine.cleanup;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.QueueFile;

/**
 * What delivery agents need from a queued message's header: the hop count (Received headers
 * plus the hops an earlier MTA reported in the envelope) for the hopcount_limit loop check,
 * and the Delivered-To addresses local delivery uses to break forwarding loops.
 *
 * <p>Reads at most the first MiB of the content; trusts the validated queue file. A read
 * failure is temporary. Immutable.
 */
public record MessageHead(int hops, Set<String> deliveredTo) {
  private static final int HEADER_SCAN_LIMIT = 1 << 20;

  public static MessageHead of(QueueFile message) throws TempFailException {
    byte[] head;
    try (InputStream in = message.openContent()) {
      head = in.readNBytes(HEADER_SCAN_LIMIT);
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "read queue file: " + e.getMessage(), e);
    }
    int n = 0;
    Set<String> deliveredTo = new HashSet<>();
    for (Header h : HeaderSection.parse(head).headers()) {
      if (h.is("Received")) {
        n++;
      } else if (h.is("Delivered-To")) {
        deliveredTo.add(h.value().strip().toLowerCase(Locale.ROOT));
      }
    }
    String given = message.envelope().attribute("hopcount");
    return new MessageHead(
        n + (given.matches("\\d{1,4}") ? Integer.parseInt(given) : 0), Set.copyOf(deliveredTo));
  }
}
