package org.postern.engine.global;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainCfTest {
  @TempDir Path dir;

  private MainCf read(String text) throws IOException, ConfigException {
    Path file = dir.resolve("main.cf");
    Files.writeString(file, text);
    return MainCf.read(file);
  }

  private String value(MainCf cf, String name) {
    return cf.settings().get(name).value();
  }

  @Test
  void readsNameValueLines() throws Exception {
    MainCf cf = read("myhostname = mail.example.org\nmyorigin=example.org\n");

    assertEquals("mail.example.org", value(cf, "myhostname"));
    assertEquals("example.org", value(cf, "myorigin"));
    assertEquals(List.of("myhostname", "myorigin"), List.copyOf(cf.settings().keySet()));
    assertEquals(List.of(), cf.warnings());
  }

  @Test
  void joinsContinuationLines() throws Exception {
    MainCf cf = read("mydestination = a.example,\n  b.example,\n\tc.example\nmyorigin = o\n");

    assertEquals("a.example, b.example, c.example", value(cf, "mydestination"));
    assertEquals(1, cf.settings().get("mydestination").line());
    assertEquals(4, cf.settings().get("myorigin").line());
  }

  @Test
  void skipsCommentsAndBlankLinesAnywhere() throws Exception {
    MainCf cf =
        read("# a comment\n\nmydestination = a,\n# inside a continued value\n  b\n"
            + "   # indented comment\n\nmyorigin = o\n");

    assertEquals("a, b", value(cf, "mydestination"));
    assertEquals("o", value(cf, "myorigin"));
  }

  @Test
  void keepsAHashInsideAValue() throws Exception {
    // Postfix: only a line whose first non-blank character is # is a comment.
    MainCf cf = read("myorigin = example.org # not a comment\n");

    assertEquals("example.org # not a comment", value(cf, "myorigin"));
  }

  @Test
  void trimsWhiteSpaceAroundNameAndValue() throws Exception {
    MainCf cf = read("myorigin   =   example.org   \nmydomain =\n");

    assertEquals("example.org", value(cf, "myorigin"));
    assertEquals("", value(cf, "mydomain"), "an empty value is a value");
  }

  @Test
  void aLaterSettingReplacesAnEarlierOne() throws Exception {
    MainCf cf = read("myorigin = first\nmyorigin = second\n");

    assertEquals("second", value(cf, "myorigin"));
    assertEquals(2, cf.settings().get("myorigin").line());
  }

  @Test
  void takesPortDotKnownNameAsAListenerOverrideButWarnsAboutOtherDottedNames() throws Exception {
    MainCf cf = read("587.smtpd_tls_security_level = may\n2525.smtpd_banner = b\n"
        + "587.no_such_param = x\nsmtp.smtpd_banner = y\n99999.smtpd_banner = z\n");

    Path file = dir.resolve("main.cf");
    assertEquals(List.of(
        file + ", line 3: unused parameter: 587.no_such_param=x",
        file + ", line 4: unused parameter: smtp.smtpd_banner=y",
        file + ", line 5: unused parameter: 99999.smtpd_banner=z"), cf.warnings());
    assertEquals("may", value(cf, "587.smtpd_tls_security_level"));
  }

  @Test
  void warnsAboutAnUnknownParameterWithFileAndLine() throws Exception {
    MainCf cf = read("myorigin = o\n\nmyorigni = typo\n");

    assertEquals(List.of(dir.resolve("main.cf") + ", line 3: unused parameter: myorigni=typo"),
        cf.warnings());
    assertEquals("typo", value(cf, "myorigni"), "kept, so $myorigni still expands");
  }

  @Test
  void refusesALineWithoutEqualsNamingFileAndLine() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> read("myorigin = o\nthis is not a setting\n"));

    assertEquals(dir.resolve("main.cf") + ", line 2: missing '=' after parameter name: "
        + "\"this is not a setting\"", e.getMessage());
  }

  @Test
  void refusesAnEmptyName() {
    ConfigException e = assertThrows(ConfigException.class, () -> read("= value\n"));

    assertEquals(dir.resolve("main.cf") + ", line 1: missing '=' after parameter name: "
        + "\"= value\"", e.getMessage());
  }

  @Test
  void reportsTheFirstLineOfAContinuedBadSetting() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> read("\nbad name\n  continued\n"));

    assertEquals(dir.resolve("main.cf") + ", line 2: missing '=' after parameter name: "
        + "\"bad name continued\"", e.getMessage());
  }

  @Test
  void refusesTextBeforeTheFirstParameter() {
    ConfigException e = assertThrows(ConfigException.class, () -> read("  indented = x\n"));

    assertEquals(dir.resolve("main.cf") + ", line 1: text before first parameter", e.getMessage());
  }

  @Test
  void aMissingFileIsAConfigErrorNamingIt() {
    Path missing = dir.resolve("nowhere").resolve("main.cf");

    ConfigException e = assertThrows(ConfigException.class, () -> MainCf.read(missing));

    assertEquals("open " + missing + ": No such file or directory", e.getMessage());
  }

  @Test
  void anEmptyFileHasNoSettings() throws Exception {
    assertEquals(0, read("").settings().size());
    assertEquals(0, MainCf.empty(dir.resolve("main.cf")).settings().size());
  }
}
