package org.postern.engine.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.cleanup.AddressMapping;
import org.postern.engine.cleanup.AddressRewriter;
import org.postern.engine.cleanup.Addresses;
import org.postern.engine.cleanup.HeaderSection;
import org.postern.engine.cleanup.VirtualAliasing;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfiguredTable;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Recipient;
import org.postern.maps.LookupException;
import org.postern.maps.canonical.CanonicalMatch;
import org.postern.maps.canonical.CanonicalTable;
import org.postern.maps.source.EntryLocator;

/**
 * smtp_generic_maps (Postfix's smtp_map11.c, generic(5); sendmail's genericstable): what leaves
 * by SMTP carries the public addresses the table gives for internal ones, in MAIL FROM, each
 * RCPT TO and the sender and recipient headers; the queue keeps the addresses it had. One
 * lookup per address (no recursion), canonical(5)'s key order, the unmatched extension put
 * back when propagate_unmatched_extensions lists {@code generic}.
 *
 * <p>Trusts table syntax only; reads at most the first MiB of a message for its headers (a
 * longer header section is sent unchanged). A table that cannot be read is a TempFailException
 * (4.3.0), or an IOException while the content is read. Opens its table once; thread-safe.
 */
public final class GenericMapping {
  private static final int HEADER_LIMIT = 1 << 20;

  private final Optional<CanonicalTable> table;
  private final boolean propagate;
  private final String myorigin;
  private final EntryLocator source;
  private final AddressRewriter headers = new AddressRewriter((a, where) -> address(a));

  private GenericMapping(Optional<CanonicalTable> table, boolean propagate, String myorigin,
      EntryLocator source) {
    this.table = table;
    this.propagate = propagate;
    this.myorigin = myorigin;
    this.source = source;
  }

  public static GenericMapping open(Config config) throws ConfigException {
    boolean none = config.get(Params.SMTP_GENERIC_MAPS).isBlank();
    ConfiguredTable.Located tables = AddressMapping.tables(config, Params.SMTP_GENERIC_MAPS);
    return new GenericMapping(
        none ? Optional.empty() : Optional.of(AddressMapping.canonical(config, tables)),
        AddressMapping.propagates(config, "generic"), config.get(Params.MYORIGIN),
        tables.locator());
  }

  /** The entry that applies to {@code address}, its result qualified, if one does. */
  public Optional<VirtualAliasing.Step> step(String address) throws TempFailException {
    if (table.isEmpty()) {
      return Optional.empty();
    }
    Optional<CanonicalMatch> m;
    try {
      m = table.get().lookup(address, propagate);
    } catch (LookupException e) {
      throw new TempFailException("4.3.0",
          Params.SMTP_GENERIC_MAPS.name() + ": table lookup failure: " + e.getMessage(), e);
    }
    return m.map(found -> new VirtualAliasing.Step(address, found.key(),
        Addresses.qualify(found.address(), myorigin),
        k -> Params.SMTP_GENERIC_MAPS.name() + " " + source.find(k).orElse(k)));
  }

  /** What {@code address} is sent as. */
  public String address(String address) throws TempFailException {
    return step(address).map(VirtualAliasing.Step::value).orElse(address);
  }

  /** {@code m} as it goes on the wire: envelope and headers mapped (itself without a table). */
  public OutgoingMessage apply(OutgoingMessage m) throws TempFailException, IOException {
    if (table.isEmpty()) {
      return m;
    }
    List<String> rcptTo = new ArrayList<>();
    for (Recipient r : m.recipients()) {
      rcptTo.add(address(r.address()));
    }
    MessageContent.Source original = m.content().source();
    return new OutgoingMessage(m.queueId(), address(m.sender()), m.recipients(), m.ret(),
        m.envid(), MessageContent.scan(() -> rewritten(new BufferedInputStream(original.open()))), rcptTo);
  }

  /** The content with its header section's addresses mapped. */
  private InputStream rewritten(InputStream in) throws IOException {
    ByteArrayOutputStream held = new ByteArrayOutputStream(4096);
    int prev = '\n';
    // The header section ends at an empty line (RFC 5322 §2.1).
    for (int c; held.size() < HEADER_LIMIT && (c = in.read()) >= 0; prev = c) {
      held.write(c);
      if (c == '\n' && prev == '\n') {
        break;
      }
    }
    byte[] head = held.toByteArray();
    if (held.size() >= HEADER_LIMIT) {
      return new SequenceInputStream(new ByteArrayInputStream(head), in);
    }
    byte[] out;
    try {
      out = headers.rewrite(HeaderSection.parse(head)).toBytes(List.of(), List.of());
    } catch (TempFailException e) {
      throw new IOException(e.getMessage(), e);
    }
    return new SequenceInputStream(new ByteArrayInputStream(out), in);
  }
}
