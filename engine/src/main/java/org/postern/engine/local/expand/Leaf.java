package org.postern.engine.local.expand;

import java.util.List;
import java.util.Optional;

/**
 * One destination of an expansion with what delivery needs to know about how it was reached:
 * the addresses on the way from the recipient ({@code path}, for bounces: "expanded from"),
 * the list owner errors go to ({@code owner-LIST}, sendmail's rule), and the alias and
 * forward addresses passed, which become Delivered-To headers (Postfix's loop guard).
 *
 * <p>Immutable.
 */
public record Leaf(
    Destination destination, List<String> path, Optional<String> owner, List<String> expandedFrom) {
  public Leaf {
    path = List.copyOf(path);
    expandedFrom = List.copyOf(expandedFrom);
  }
}
