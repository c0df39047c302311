package org.postern.engine.local.expand;

import java.util.List;
import java.util.Optional;

/**
 * One step of an expansion tree, for {@code postern explain} and {@code sendmail -bv}: the
 * address or member handled, how it was expanded ({@code alias}, {@code .forward},
 * {@code :include:}, with the alias entry for aliases) and where the member was written
 * ({@code FILE:LINE}, or the alias table), its children, and the
 * destination when it is a leaf. A leaf seen before is marked duplicate and delivered once.
 *
 * <p>Built by {@link Expander}; immutable.
 */
public record ExpansionNode(
    String member,
    String via,
    String origin,
    Optional<AliasMaps.Hit> alias,
    List<ExpansionNode> children,
    Optional<Destination> destination,
    boolean duplicate) {
  public ExpansionNode {
    children = List.copyOf(children);
  }

  static ExpansionNode branch(String member, String via, String origin, List<ExpansionNode> kids) {
    return new ExpansionNode(member, via, origin, Optional.empty(), kids, Optional.empty(), false);
  }

  static ExpansionNode aliasBranch(
      String member, AliasMaps.Hit hit, String origin, List<ExpansionNode> kids) {
    return new ExpansionNode(member, "alias " + hit.key() + " (" + hit.table() + ")", origin,
        Optional.of(hit), kids, Optional.empty(), false);
  }

  static ExpansionNode leaf(String member, String origin, Destination d, boolean duplicate) {
    return new ExpansionNode(
        member, "", origin, Optional.empty(), List.of(), Optional.of(d), duplicate);
  }
}
