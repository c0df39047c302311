package org.postern.engine.local.pipe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment Postfix local(8) gives a {@code |command} (local/command.c): SENDER,
 * RECIPIENT, ORIGINAL_RECIPIENT, USER and LOGNAME, HOME, SHELL, EXTENSION, DOMAIN, LOCAL, and
 * PATH reset to {@code /usr/bin:/bin}.
 *
 * <p>Trusts nothing in the values: addresses come from the network. As Postfix does with
 * command_expansion_filter, every character outside letters, digits and
 * {@code !@%-_=+:,./} becomes {@code _}, so no line break, quote or shell metacharacter reaches
 * the command. SENDER is empty for the null sender. HOME, SHELL, EXTENSION, DOMAIN and
 * ORIGINAL_RECIPIENT are left out when empty, as Postfix does. Immutable and thread-safe.
 */
public record CommandEnvironment(
    String sender,
    String recipient,
    String originalRecipient,
    String user,
    String extension,
    String domain,
    String local,
    String home,
    String shell) {
  /** Postfix's default command_expansion_filter (global/mail_params.h). */
  private static final String ALLOWED =
      "1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** Postfix _PATH_DEFPATH: the command search path, whatever ours is. */
  static final String PATH = "/usr/bin:/bin";

  public CommandEnvironment {
    for (String value :
        new String[] {
          sender, recipient, originalRecipient, user, extension, domain, local, home, shell
        }) {
      if (value == null) {
        throw new IllegalArgumentException("missing command environment value");
      }
    }
  }

  /** The variables in Postfix's order, values censored; PATH last. */
  public Map<String, String> toMap() {
    Map<String, String> env = new LinkedHashMap<>();
    putIfSet(env, "HOME", home);
    env.put("LOGNAME", censor(user));
    env.put("USER", censor(user));
    env.put("SENDER", censor(sender));
    env.put("RECIPIENT", censor(recipient));
    env.put("LOCAL", censor(local));
    putIfSet(env, "SHELL", shell);
    putIfSet(env, "DOMAIN", domain);
    putIfSet(env, "EXTENSION", extension);
    putIfSet(env, "ORIGINAL_RECIPIENT", originalRecipient);
    env.put("PATH", PATH);
    return env;
  }

  private static void putIfSet(Map<String, String> env, String name, String value) {
    if (!value.isEmpty()) {
      env.put(name, censor(value));
    }
  }

  /** Postfix local/command.c: replace what the filter does not allow by an underscore. */
  static String censor(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      out.append(ALLOWED.indexOf(c) >= 0 ? c : '_');
    }
    return out.toString();
  }
}
