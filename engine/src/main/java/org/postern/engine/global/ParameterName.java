package org.postern.engine.global;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parameter name as main.cf and {@code postern config} write it: {@code name}, or
 * {@code PORT.name} for the override of one SMTP listener (see {@link Params#SMTPD_LISTEN}).
 *
 * <p>Only names of known parameters parse, so an unknown one (or {@code PORT.unknown}) is
 * still caught as a likely typo. Immutable.
 */
public record ParameterName(OptionalInt port, ConfigKey key) {

  /** The parameter {@code name} stands for, if Postern knows it. */
  public static Optional<ParameterName> parse(String name) {
    int dot = name.indexOf('.');
    OptionalInt port = OptionalInt.empty();
    if (dot >= 0) {
      String digits = name.substring(0, dot);
      if (!digits.matches("\\d{1,5}") || Integer.parseInt(digits) > 65535) {
        return Optional.empty();
      }
      port = OptionalInt.of(Integer.parseInt(digits));
    }
    // No lambda here: every command parses main.cf, and on Java 17 a command's first lambda
    // costs 5-6 ms of start-up (README, "Start-up").
    Optional<ConfigKey> key = Params.byName(dot < 0 ? name : name.substring(dot + 1));
    return key.isPresent() ? Optional.of(new ParameterName(port, key.get())) : Optional.empty();
  }

  /** {@code config}, or its view for the listener this name belongs to. */
  public Config in(Config config) {
    return port.isPresent() ? config.forListener(port.getAsInt()) : config;
  }
}
