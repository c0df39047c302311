package org.postern.engine.cleanup;

/**
 * The outcome of checking one address: the normalised addr-spec, or why it was refused.
 *
 * <p>{@link Valid#address()} is {@code local@domain} or an unqualified {@code local}, with
 * comments, display names and source routes removed and quoted local parts kept quoted; {@code ""}
 * is the null sender. {@link Invalid} keeps the input as given and sendmail's text. Immutable.
 */
public sealed interface AddressCheck permits AddressCheck.Valid, AddressCheck.Invalid {

  /** An address that passed; {@code address} is the bare addr-spec. */
  record Valid(String address) implements AddressCheck {}

  /** An address refused with {@code reason} (sendmail's wording) and an RFC 3463 code. */
  record Invalid(String input, String reason, String dsn) implements AddressCheck {
    static Invalid of(String input, AddressFault fault) {
      return new Invalid(input, fault.text(), fault.dsn());
    }

    /**
     * The line sendmail prints, {@code input... reason}, with control characters shown as {@code ?}
     * (sendmail's BAD_CHAR_REPLACEMENT) so it stays one printable line.
     */
    public String message() {
      StringBuilder sb = new StringBuilder(input.length() + reason.length() + 4);
      for (int i = 0; i < input.length(); i++) {
        char c = input.charAt(i);
        sb.append(AddressLexer.isControl(c) || c == '\t' ? '?' : c);
      }
      return sb.append("... ").append(reason).toString();
    }
  }
}
