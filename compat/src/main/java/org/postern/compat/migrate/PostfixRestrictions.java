package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.maps.TableSpec;
import org.postern.maps.source.SourceEntry;

/**
 * Postfix's smtpd restriction lists as Postern's fixed policy and its parameters: DNSBLs
 * ({@code reject_rbl_client} to smtpd_dnsbl_zones), {@code check_client/sender/recipient_access}
 * tables merged into one sendmail-style access_map, the sender domain and HELO checks.
 * Postern always relays for mynetworks and relay_domains only, so the relay items need no
 * parameter.
 *
 * <p>Trusts nothing in the lists: an item Postern does not check is reported with what its
 * absence lets through. Not thread-safe (fills one builder).
 */
final class PostfixRestrictions {
  private static final List<String> LISTS = List.of("smtpd_client_restrictions",
      "smtpd_helo_restrictions", "smtpd_sender_restrictions", "smtpd_relay_restrictions",
      "smtpd_recipient_restrictions", "smtpd_data_restrictions",
      "smtpd_end_of_data_restrictions");
  /** Postern's policy does these itself, whatever the lists say. */
  private static final Set<String> BUILT_IN = Set.of("permit_mynetworks",
      "permit_sasl_authenticated", "reject_unauth_destination", "defer_unauth_destination",
      "permit_auth_destination", "reject_unlisted_recipient", "reject_unauth_pipelining",
      "permit", "reject_unlisted_sender", "reject_invalid_helo_hostname",
      "reject_unknown_sender_domain");
  /** Items followed by an argument. */
  private static final Set<String> TAKES_ARGUMENT = Set.of("check_helo_access",
      "check_client_access", "check_sender_access", "check_recipient_access",
      "check_policy_service", "reject_rbl_client", "reject_rhsbl_client",
      "reject_rhsbl_sender", "reject_rhsbl_helo", "reject_rhsbl_recipient",
      "permit_dnswl_client", "permit_rhswl_client", "check_sender_mx_access",
      "check_sender_ns_access", "check_recipient_mx_access", "check_client_a_access",
      "check_sasl_access", "check_ccert_access", "check_reverse_client_hostname_access");
  private static final Map<String, String> ACCESS_TAGS = Map.of("check_client_access",
      "Connect", "check_sender_access", "From", "check_recipient_access", "To");

  private final PostfixConfig cf;
  private final OldTables tables;
  private final Migration.Builder b;
  private final List<String> zones = new ArrayList<>();
  private final List<String> access = new ArrayList<>();
  private final List<String> accessSources = new ArrayList<>();
  private final List<String> seen = new ArrayList<>();

  PostfixRestrictions(PostfixConfig cf, OldTables tables, Migration.Builder b) {
    this.cf = cf;
    this.tables = tables;
    this.b = b;
  }

  void carry(Path root) throws IOException {
    String lastOrigin = PostfixConfig.FILE + " (default)";
    for (String list : LISTS) {
      Optional<PostfixConfig.Value> v = cf.get(list);
      if (v.isPresent()) {
        lastOrigin = v.get().origin();
        items(list, v.get());
      }
    }
    // What Postfix did not do unless told, and Postern does by default.
    if (!seen.contains("reject_unknown_sender_domain")) {
      b.carry("accept_unresolvable_domains", "yes",
          lastOrigin + " (no reject_unknown_sender_domain)");
    }
    if (!seen.contains("reject_invalid_helo_hostname")) {
      b.carry("smtpd_reject_invalid_helo_hostname", "no",
          lastOrigin + " (no reject_invalid_helo_hostname)");
    }
    if (seen.contains("reject_unknown_helo_hostname")) {
      b.carry("smtpd_reject_unknown_helo_hostname", "yes", lastOrigin);
    }
    if (!zones.isEmpty()) {
      b.carry("smtpd_dnsbl_zones", String.join(", ", zones), lastOrigin);
    }
    if (!access.isEmpty()) {
      b.table(new MigratedTable("access", access, false, String.join(", ", accessSources)));
      b.carry("access_map", "hash:" + OldTables.configDir(root).resolve("access"), lastOrigin);
    }
  }

  private void items(String list, PostfixConfig.Value v) throws IOException {
    List<String> items = Config.split(v.value());
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i);
      String arg = TAKES_ARGUMENT.contains(item) && i + 1 < items.size() ? items.get(++i) : "";
      seen.add(item);
      if (BUILT_IN.contains(item) || item.equals("reject_unknown_helo_hostname")) {
        continue;
      }
      if (item.equals("reject_rbl_client")) {
        zones.add(arg);
      } else if (ACCESS_TAGS.containsKey(item)) {
        accessTable(ACCESS_TAGS.get(item), item, arg, v.origin());
      } else {
        b.notCarried(v.origin(), list + ": " + (item + " " + arg).strip(),
            "Postern does not check this: mail it refused is accepted");
      }
    }
  }

  private void accessTable(String tag, String item, String table, String origin)
      throws IOException {
    Optional<List<SourceEntry>> entries = tables.entries(table, origin, item);
    if (entries.isEmpty()) {
      return;
    }
    accessSources.add(TableSpec.parse(table).name());
    for (SourceEntry e : entries.get()) {
      Optional<String> line = PostfixAccess.convert(tag, e);
      if (line.isPresent()) {
        access.add(line.get());
      } else {
        b.notCarried(TableSpec.parse(table).name() + ":" + e.line(), item + " action " + e.value(),
            "sendmail's access map has no such action: the entry for " + e.key()
                + " is not used");
      }
    }
  }
}
