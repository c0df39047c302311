package org.postern.engine.local.expand;

import java.util.List;

/**
 * The whole expansion of one local recipient: the tree (for people) and its distinct
 * destinations in tree order (for delivery).
 *
 * <p>Immutable.
 */
public record Expansion(ExpansionNode root, List<Leaf> leaves) {
  public Expansion {
    leaves = List.copyOf(leaves);
  }
}
