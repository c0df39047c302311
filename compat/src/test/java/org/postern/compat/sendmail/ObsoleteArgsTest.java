package org.postern.compat.sendmail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObsoleteArgsTest {
  private static List<String> rewrite(String args) throws UsageException {
    List<String> in = args.isEmpty() ? List.of() : Arrays.asList(args.split(" "));
    return ObsoleteArgs.rewrite(in, SendmailOptionParser.OPTSTRING);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "-q|-q0",
      "-q -v|-q0 -v",
      "-q 30m|-q 30m",
      "-q30m|-q30m",
      "-Q|-Q.",
      "-Q spam|-Q spam",
      "-d|-d0-99.1",
      "-d 5|-d0-99.1 5",
      "-C|-C.",
      "-C /etc/x|-C /etc/x",
      "-f -q|-f -q0",
      "-f bob -q|-f bob -q0",
      "bob -q|bob -q",
      "-- -q|-- -q",
      "- -q|- -q",
      "-tq|-tq",
  })
  void rewritesBareFlagsLikeSendmail(String in, String out) throws UsageException {
    assertEquals(Arrays.asList(out.split(" ")), rewrite(in));
  }

  @ParameterizedTest
  @CsvSource({"-Q.", "-Q .", "-Q.x", "-Qreason ."})
  void refusesQuarantineDot(String in) {
    assertEquals("Can not use -Q.",
        assertThrows(UsageException.class, () -> rewrite(in)).line());
  }
}
