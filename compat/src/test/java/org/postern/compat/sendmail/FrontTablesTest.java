package org.postern.compat.sendmail;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.Params;

class FrontTablesTest {
  @Test
  void carriesSendmailsGetoptStringAndEveryParameterWithItsDefault() {
    String h = FrontTables.header();
    assertTrue(h.contains("#define FRONT_OPTSTRING \"" + SendmailOptionParser.OPTSTRING + "\"\n"));
    assertTrue(h.contains("    { \"queue_directory\", \"/var/spool/postern\" },\n"));
    assertTrue(h.contains("    { \"root\", \"/\" },\n"));
    for (ConfigKey key : Params.ALL) {
      assertTrue(h.contains("{ \"" + key.name() + "\", "), key.name());
    }
  }

  @Test
  void escapesWhatCIsNotToReadLiterally() {
    String h = FrontTables.header();
    assertTrue(!h.contains("??"), "no trigraphs");
    for (String line : h.split("\n")) {
      assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), line);
    }
  }
}
