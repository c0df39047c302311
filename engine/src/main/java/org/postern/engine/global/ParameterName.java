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
    if (dot < 0) {
      return Params.byName(name).map(k -> new ParameterName(OptionalInt.empty(), k));
    }
    String port = name.substring(0, dot);
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      return Optional.empty();
    }
    return Params.byName(name.substring(dot + 1))
        .map(k -> new ParameterName(OptionalInt.of(Integer.parseInt(port)), k));
  }

  /** {@code config}, or its view for the listener this name belongs to. */
  public Config in(Config config) {
    return port.isPresent() ? config.forListener(port.getAsInt()) : config;
  }
}
