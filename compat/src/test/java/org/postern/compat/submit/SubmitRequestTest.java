package org.postern.compat.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request header on the wire: exact bytes, round trip, and the limits a reader keeps. */
class SubmitRequestTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesTheDocumentedBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new SubmitRequest(List.of("-f", "a b\n", "bö"), "sendmail", Map.of("NAME", "Ann"))
        .write(out);

    assertEquals("POSTERN-SUBMIT 2\n3\n2\n-f4\na b\n3\nbö8\nsendmail1\n8\nNAME=Ann",
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void readsWhatItWrites() throws IOException {
    SubmitRequest r = new SubmitRequest(List.of("", "x\0y"), "mailq", Map.of("NAME", "=b="));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.write(out);

    assertEquals(r, SubmitRequest.read(new ByteArrayInputStream(out.toByteArray())));
  }

  @Test
  void readsAVersion1HeaderAsOneThatTakesNoReply() throws IOException {
    SubmitRequest r = SubmitRequest.read(
        new ByteArrayInputStream(bytes("POSTERN-SUBMIT 1\n1\n3\n-bp5\nmailq0\n")));

    assertEquals(new SubmitRequest(1, List.of("-bp"), "mailq", Map.of()), r);
    assertFalse(r.takesReply());
  }

  @Test
  void refusesAVersionItDoesNotSpeak() {
    for (String magic : List.of("POSTERN-SUBMIT 3", "POSTERN-SUBMIT 0", "POSTERN-SUBMIT  2")) {
      byte[] in = bytes(magic + "\n0\n0\n0\n");
      assertThrows(SubmitProtocol.ProtocolException.class,
          () -> SubmitRequest.read(new ByteArrayInputStream(in)), magic);
    }
  }

  @Test
  void refusesNumbersWithSignsSpacesOrTooManyDigits() {
    for (String n : List.of("+1", " 1", "1 ", "", "0x1", "00000000001")) {
      byte[] in = bytes("POSTERN-SUBMIT 1\n" + n + "\n");
      assertThrows(SubmitProtocol.ProtocolException.class,
          () -> SubmitRequest.read(new ByteArrayInputStream(in)), n);
    }
  }

  @Test
  void refusesAHeaderOverItsLimitBeforeReadingIt() {
    int big = SubmitProtocol.MAX_HEADER - 10;
    byte[] in = bytes("POSTERN-SUBMIT 1\n2\n" + big + "\n");

    SubmitProtocol.ProtocolException e = assertThrows(SubmitProtocol.ProtocolException.class,
        () -> SubmitRequest.read(new ByteArrayInputStream(in)));

    assertEquals("header longer than " + SubmitProtocol.MAX_HEADER + " bytes", e.getMessage());
  }
}
