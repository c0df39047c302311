package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Params;

/**
 * sendmail.mc's masquerading and genericstable, carried as the README maps them:
 * {@code MASQUERADE_AS(d)} is {@code masquerade_domains = d} and {@code myorigin = d};
 * {@code masquerade_classes} is {@code header_sender}, plus {@code envelope_sender} with
 * FEATURE(masquerade_envelope) and {@code header_recipient} with FEATURE(allmasquerade);
 * {@code MASQUERADE_EXCEPTION(h)} is {@code !h} before d; {@code EXPOSED_USER} is
 * masquerade_exceptions. sendmail also rewrites to d the names of class w (local-host-names,
 * $j) and {@code MASQUERADE_DOMAIN(x)}, where masquerade_domains strips only d's subdomains:
 * each such name outside d is an {@code @x @d} line of a canonical table with the same
 * classes. FEATURE(genericstable) is {@code smtp_generic_maps} over a copy of the table.
 *
 * <p>Trusts nothing in the .mc or the files it names. Stateless.
 */
final class MasqueradeMapping {
  static final String MASQUERADE_TABLE = "masquerade_domains";
  static final String GENERICS_TABLE = "genericstable";

  private MasqueradeMapping() {}

  static void carry(Path root, McDefinitions mc, List<String> localNames, Migration.Builder out)
      throws IOException {
    List<McCall> as = mc.calls("MASQUERADE_AS");
    List<String> classes = classes(mc);
    if (!as.isEmpty()) {
      McCall call = as.get(as.size() - 1);
      String domain = call.arg(0);
      List<String> domains = new ArrayList<>();
      for (String host : mc.members(root, "MASQUERADE_EXCEPTION").words()) {
        domains.add("!" + host);
      }
      domains.add(domain);
      out.carry(Params.MASQUERADE_DOMAINS.name(), String.join(", ", domains), call.origin());
      out.carry(Params.MYORIGIN.name(), domain, call.origin());
      out.carry(Params.MASQUERADE_CLASSES.name(), String.join(", ", classes), call.origin());
      mc.feature("masquerade_entire_domain"); // how masquerade_domains always works
      otherDomains(root, mc, domain, classes, localNames, out);
    }
    McDefinitions.Members exposed = mc.members(root, "EXPOSED_USER");
    if (!exposed.words().isEmpty()) {
      out.carry(Params.MASQUERADE_EXCEPTIONS.name(), String.join(", ", exposed.words()),
          exposed.origin());
    }
    generics(root, mc, localNames, out);
  }

  /** Which addresses sendmail masquerades, as Postfix's class names. */
  private static List<String> classes(McDefinitions mc) {
    List<String> classes = new ArrayList<>(List.of("header_sender"));
    if (mc.feature("masquerade_envelope").isPresent()) {
      classes.add(0, "envelope_sender");
    }
    if (mc.feature("allmasquerade").isPresent()) {
      classes.add("header_recipient");
    }
    return classes;
  }

  /** Class w's and MASQUERADE_DOMAIN's names outside the masquerade, as canonical entries. */
  private static void otherDomains(Path root, McDefinitions mc, String domain,
      List<String> classes, List<String> localNames, Migration.Builder out) throws IOException {
    List<String> lines = new ArrayList<>();
    McDefinitions.Members others = mc.members(root, "MASQUERADE_DOMAIN");
    String origin = others.origin().isEmpty() ? mc.calls("MASQUERADE_AS").get(0).origin()
        : others.origin();
    Set<String> names = new LinkedHashSet<>(localNames);
    names.addAll(others.words());
    for (String other : names) {
      if (!other.equals(domain) && !other.endsWith("." + domain)
          && !other.equals("localhost")) {
        lines.add("@" + other + " @" + domain);
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    out.table(new MigratedTable(MASQUERADE_TABLE, lines, false, origin));
    out.carry(Params.CANONICAL_MAPS.name(), "hash:"
        + SendmailReader.posternTable(root, MASQUERADE_TABLE), origin);
    out.carry(Params.CANONICAL_CLASSES.name(), String.join(", ", classes), origin);
  }

  private static void generics(Path root, McDefinitions mc, List<String> localNames,
      Migration.Builder out) throws IOException {
    Optional<McCall> feature = mc.feature("genericstable");
    if (feature.isEmpty()) {
      return;
    }
    String file = SendmailReader.mapFile(feature.get().arg(1), "/etc/mail/genericstable");
    SendmailMap map = SendmailMap.read(root, file);
    out.table(new MigratedTable(GENERICS_TABLE, SendmailMap.lines(map.entries()), false, file));
    out.carry(Params.SMTP_GENERIC_MAPS.name(), "hash:"
        + SendmailReader.posternTable(root, GENERICS_TABLE), feature.get().origin());
    out.notCarried(feature.get().origin(), "genericstable's scope", "smtp_generic_maps"
        + " rewrites every address of mail that leaves (envelope and headers, senders and"
        + " recipients), not only sender headers");
    // A bare user key matches our own domains only (README); other class G domains need keys.
    for (String macro : List.of("GENERICS_DOMAIN", "GENERICS_DOMAIN_FILE")) {
      for (McCall call : mc.calls(macro)) {
        if (macro.endsWith("_FILE") || !localNames.containsAll(words(call.arg(0)))) {
          out.notCarried(call.origin(), macro + " " + call.arg(0), "a bare user key matches"
              + " only myorigin and mydestination; give other domains user@domain keys");
        }
      }
    }
  }

  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.strip().split("[\\s,]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
