package org.postern.compat.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class McScannerTest {
  private static List<McCall> scan(String text) throws McSyntaxException {
    return McScanner.scan(text, "/etc/mail/sendmail.mc", true);
  }

  @Test
  void readsCallsWithTheirLinesAndUnquotedArguments() throws Exception {
    List<McCall> calls = scan("divert(-1)dnl\n"
        + "define(`SMART_HOST', `[relay.example]')dnl\n"
        + "FEATURE(`access_db', , `skip')dnl\n");
    assertEquals(3, calls.size());
    assertEquals(new McCall("define", List.of("SMART_HOST", "[relay.example]"),
        "/etc/mail/sendmail.mc", 2), calls.get(1));
    assertEquals(List.of("access_db", "", "skip"), calls.get(2).args());
    assertEquals("/etc/mail/sendmail.mc:3", calls.get(2).origin());
  }

  @Test
  void dnlDeletesThroughTheNewlineEvenInsideArguments() throws Exception {
    List<McCall> calls = scan("dnl FEATURE(`nouucp')\n"
        + "define(`confPRIVACY_FLAGS',dnl\n`goaway,noetrn')dnl\n");
    assertEquals(1, calls.size());
    assertEquals(List.of("confPRIVACY_FLAGS", "goaway,noetrn"), calls.get(0).args());
    assertEquals(2, calls.get(0).line());
  }

  @Test
  void nestedQuotesLoseOnlyTheirOuterLevel() throws Exception {
    McCall call = scan("define(`X', `a `b' c')").get(0);
    assertEquals("a `b' c", call.arg(1));
  }

  @Test
  void hashCommentsEndAtTheIncludeOfCfM4AsCfheadTurnsThemOff() throws Exception {
    List<McCall> calls = scan("# FEATURE(`before')\n"
        + "include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
        + "# FEATURE(`after')\n");
    assertEquals(List.of("include", "FEATURE"), calls.stream().map(McCall::name).toList());
    assertEquals("after", calls.get(1).arg(0));
  }

  @Test
  void callsInTheBranchesOfConditionalsAreRead() throws Exception {
    List<McCall> calls = scan("ifelse(eval(sm_version_math >= 527104), `1', `dnl\n"
        + "ifelse(sm_enable_tls, `yes', `dnl\n"
        + "define(`confSERVER_CERT', `/etc/mail/tls/sendmail-server.crt')dnl   # <= EDIT\n"
        + "')')dnl\n"
        + "FEATURE(`nouucp')\n");
    assertEquals(List.of("eval", "define", "FEATURE"),
        calls.stream().map(McCall::name).toList());
    assertEquals(new McCall("define", List.of("confSERVER_CERT",
        "/etc/mail/tls/sendmail-server.crt"), "/etc/mail/sendmail.mc", 3), calls.get(1));
    assertEquals(5, calls.get(2).line());
  }

  @Test
  void theMacrosThatStartHandWrittenRulesAreCallsWithoutArguments() throws Exception {
    List<McCall> calls = scan("include(`/usr/share/sendmail/cf/m4/cf.m4')dnl\n"
        + "LOCAL_RULESETS\nSLocal_check_mail\nR$* $#error $: 550 no\n");
    assertEquals(new McCall("LOCAL_RULESETS", List.of(), "/etc/mail/sendmail.mc", 2),
        calls.get(1));
    assertEquals(2, calls.size());
  }

  @Test
  void anUnterminatedQuoteNamesTheLineItStartedOn() {
    McSyntaxException e = assertThrows(McSyntaxException.class,
        () -> scan("FEATURE(`a')\ndefine(`X', `open)\n"));
    assertEquals("/etc/mail/sendmail.mc:2: unterminated quote", e.getMessage());
  }
}
