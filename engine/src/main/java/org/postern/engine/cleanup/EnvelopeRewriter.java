package org.postern.engine.cleanup;

import java.util.ArrayList;
import java.util.List;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Recipient;

/**
 * The envelope half of cleanup's address rewriting, the one place every queued address passes
 * (Postfix's cleanup_addr.c with CLEANUP_FLAG_MAP_OK, which submissions, forwarded copies and
 * notices all carry): a sender through the sender canonical maps and masquerading, a
 * recipient through the recipient canonical maps, masquerading, then virtusertable. Used by
 * {@link Cleanup}, local delivery's forwarded copies, the bounce notices, and the questions
 * smtpd, {@code sendmail -bv} and {@code postern explain} ask.
 *
 * <p>Trusts table syntax only; a table that cannot be read is a TempFailException (4.3.0).
 * Opens its tables once; thread-safe.
 */
public final class EnvelopeRewriter {
  private final AddressMapping mapping;
  private final VirtualAliasing virtual;
  private final String myorigin;

  public EnvelopeRewriter(AddressMapping mapping, VirtualAliasing virtual, String myorigin) {
    this.mapping = mapping;
    this.virtual = virtual;
    this.myorigin = myorigin;
  }

  /** The instance's canonical maps, masquerading and virtusertable. */
  public static EnvelopeRewriter open(Config config) throws ConfigException {
    return new EnvelopeRewriter(AddressMapping.open(config), VirtualAliasing.open(config),
        config.get(Params.MYORIGIN));
  }

  /** The canonical maps and masquerading, for header addresses. */
  public AddressMapping mapping() {
    return mapping;
  }

  /** virtusertable, as the router checks a refusal at delivery. */
  public VirtualAliasing virtual() {
    return virtual;
  }

  /** The envelope sender {@code address} (qualified; "" the null sender, left alone). */
  public String sender(String address) throws TempFailException {
    return mapping.map(address, AddressClass.ENVELOPE_SENDER).address();
  }

  /**
   * What the recipient {@code address} (qualified) becomes, with the entries that applied:
   * the canonical maps and masquerading, then virtusertable.
   */
  public VirtualAliasing.Rewrite recipient(String address) throws TempFailException {
    AddressMapping.Mapped m = mapping.map(address, AddressClass.ENVELOPE_RECIPIENT);
    VirtualAliasing.Rewrite w = virtual.rewrite(m.address());
    List<VirtualAliasing.Step> steps = new ArrayList<>(m.steps());
    steps.addAll(w.steps());
    return new VirtualAliasing.Rewrite(w.addresses(), w.refusal(), steps);
  }

  /**
   * {@code r} as queued: one recipient per address virtusertable gives, qualified, with
   * {@code r}'s original and NOTIFY; the mapped address alone when virtusertable gives nothing
   * or a refusal (the router refuses it at delivery, as Postfix's resolver does).
   */
  public List<Recipient> recipients(Recipient r) throws TempFailException {
    String mapped = mapping.map(r.address(), AddressClass.ENVELOPE_RECIPIENT).address();
    VirtualAliasing.Rewrite w = virtual.rewrite(mapped);
    if (!w.rewritten() || w.refusal().isPresent()) {
      return List.of(new Recipient(mapped, r.original(), r.notifyList()));
    }
    List<Recipient> out = new ArrayList<>();
    for (String a : w.addresses()) {
      out.add(new Recipient(Addresses.qualify(a, myorigin), r.original(), r.notifyList()));
    }
    return out;
  }
}
