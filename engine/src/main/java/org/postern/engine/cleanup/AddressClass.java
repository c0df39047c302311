package org.postern.engine.cleanup;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;

/**
 * Where an address stands, as Postfix's canonical_classes and masquerade_classes name it: the
 * envelope sender or a recipient, an address in a sender header or in a recipient header (the
 * header lists of Postfix's header_opts.c: Reply-To is a sender header, Resent-Reply-To a
 * recipient one).
 *
 * <p>Trusts nothing in a class list: an unknown name is a ConfigException naming the key.
 * Immutable.
 */
public enum AddressClass {
  ENVELOPE_SENDER,
  ENVELOPE_RECIPIENT,
  HEADER_SENDER,
  HEADER_RECIPIENT;

  private static final List<String> SENDER_HEADERS = List.of("Disposition-Notification-To",
      "Errors-To", "From", "Mail-Followup-To", "Reply-To", "Resent-From", "Resent-Sender",
      "Return-Path", "Return-Receipt-To", "Sender");
  private static final List<String> RECIPIENT_HEADERS = List.of("Apparently-To", "Bcc", "Cc",
      "Resent-Bcc", "Resent-Cc", "Resent-Reply-To", "Resent-To", "To");

  /** The name in main.cf ({@code envelope_sender}, ...). */
  public String parameterName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The class of the addresses in header {@code name}, if it is an address header. */
  public static Optional<AddressClass> ofHeader(String name) {
    if (SENDER_HEADERS.stream().anyMatch(name::equalsIgnoreCase)) {
      return Optional.of(HEADER_SENDER);
    }
    if (RECIPIENT_HEADERS.stream().anyMatch(name::equalsIgnoreCase)) {
      return Optional.of(HEADER_RECIPIENT);
    }
    return Optional.empty();
  }

  /** The classes a {@code *_classes} parameter lists. */
  public static Set<AddressClass> parse(Config config, ConfigKey key) throws ConfigException {
    Set<AddressClass> out = EnumSet.noneOf(AddressClass.class);
    for (String item : config.list(key)) {
      Optional<AddressClass> c = List.of(values()).stream()
          .filter(v -> v.parameterName().equalsIgnoreCase(item)).findFirst();
      if (c.isEmpty()) {
        throw config.invalid(key,
            "envelope_sender, envelope_recipient, header_sender or header_recipient");
      }
      out.add(c.get());
    }
    return out;
  }
}
