package org.postern.engine.local.expand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.maps.passwd.PasswdEntry;

/**
 * The forward files to look for, from {@code forward_path} (default {@code
 * $home/.forward.$myhostname, $home/.forward}: sendmail's Debian ForwardPath with Postfix's
 * names): {@code $home}, {@code $user}, {@code $shell}, {@code $local}, {@code $domain},
 * {@code $extension}, {@code $recipient} and {@code $recipient_delimiter} are the recipient's;
 * any other {@code $name} is a main.cf parameter (unknown ones expand to nothing). Characters Postfix deems unsafe in a
 * substituted value ({@code /} and controls) become {@code _}.
 *
 * <p>Trusts main.cf and the passwd entry. Stateless.
 */
final class ForwardPath {
  private final String template;
  private final Config config;

  ForwardPath(Config config) {
    this.config = config;
    this.template = config.raw(Params.FORWARD_PATH);
  }

  /** The candidate files for {@code user}, in search order. */
  List<Path> candidates(PasswdEntry user, String local, String domain, String extension) {
    List<Path> out = new ArrayList<>();
    for (String element : template.split("[,\\s]+")) {
      if (element.isEmpty()) {
        continue;
      }
      String expanded = expand(element, user, local, domain, extension);
      Path p = Path.of(expanded);
      if (p.isAbsolute()) {
        out.add(p.normalize());
      }
    }
    return out;
  }

  private String expand(String s, PasswdEntry u, String local, String domain, String ext) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        b.append(c);
        continue;
      }
      int end;
      String name;
      if (s.charAt(i + 1) == '{' && s.indexOf('}', i) > 0) {
        end = s.indexOf('}', i);
        name = s.substring(i + 2, end);
      } else {
        end = i + 1;
        while (end < s.length()
            && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
          end++;
        }
        name = s.substring(i + 1, end);
        end--;
      }
      i = end;
      switch (name) {
        case "home" -> b.append(u.home());
        case "user" -> b.append(safe(u.name()));
        case "shell" -> b.append(u.shell());
        case "local" -> b.append(safe(local));
        case "domain" -> b.append(safe(domain));
        case "extension" -> b.append(safe(ext));
        case "recipient" -> b.append(safe(local + "@" + domain));
        default -> b.append(Params.byName(name).map(k -> safe(config.get(k))).orElse(""));
      }
    }
    return b.toString();
  }

  private static String safe(String v) {
    StringBuilder b = new StringBuilder(v.length());
    for (char c : v.toCharArray()) {
      b.append(c == '/' || c < 0x20 || c == 0x7f ? '_' : c);
    }
    return b.toString();
  }
}
