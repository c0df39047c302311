package org.postern.compat.sendmail;

import org.postern.compat.mailq.QueueFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SendmailOptionParserTest {
  private static SendmailOptions parse(String... args) throws UsageException {
    return SendmailOptionParser.parse("sendmail", List.of(args));
  }

  private static String usageError(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).line();
  }

  // Real-world invocations (spec a.6).

  @Test
  void parsesCronInvocation() throws UsageException {
    SendmailOptions o = parse("-FCronDaemon", "-i", "-B8BITMIME", "-oem", "root");
    assertEquals(Optional.of("CronDaemon"), o.fullName());
    assertTrue(o.ignoreDots());
    assertEquals(Optional.of(BodyType.EIGHT_BIT_MIME), o.bodyType());
    assertEquals(ErrorMode.MAIL, o.errorMode());
    assertEquals(List.of("root"), o.recipients());
    assertEquals(OperationMode.DELIVER, o.mode());
    assertEquals(List.of(), o.ignoredOptions());
  }

  @Test
  void parsesAnacronInvocation() throws UsageException {
    SendmailOptions o = parse("-FAnacron", "-odi", "root");
    assertEquals(Optional.of("Anacron"), o.fullName());
    assertEquals(DeliveryMode.INTERACTIVE, o.deliveryMode());
    assertFalse(o.ignoreDots());
    assertEquals(List.of("root"), o.recipients());
  }

  @Test
  void parsesAtdInvocation() throws UsageException {
    SendmailOptions o = parse("-i", "alice");
    assertTrue(o.ignoreDots());
    assertEquals(List.of("alice"), o.recipients());
    assertEquals(DeliveryMode.BACKGROUND, o.deliveryMode());
    assertEquals(ErrorMode.PRINT, o.errorMode());
  }

  @Test
  void parsesMuttInvocation() throws UsageException {
    SendmailOptions o = parse("-oem", "-oi", "-f", "me@x", "-N", "failure,delay", "-R", "hdrs",
        "-B8BITMIME", "--", "a@x", "b@y");
    assertEquals(ErrorMode.MAIL, o.errorMode());
    assertTrue(o.ignoreDots());
    assertEquals(Optional.of("me@x"), o.sender());
    assertEquals(Optional.of(Set.of(DsnNotify.FAILURE, DsnNotify.DELAY)), o.dsnNotify());
    assertEquals(Optional.of(DsnRet.HDRS), o.dsnRet());
    assertEquals(Optional.of(BodyType.EIGHT_BIT_MIME), o.bodyType());
    assertEquals(List.of("a@x", "b@y"), o.recipients());
  }

  @Test
  void parsesGitSendEmailInvocation() throws UsageException {
    SendmailOptions o = parse("-i", "-f", "me@x", "a@x");
    assertTrue(o.ignoreDots());
    assertEquals(Optional.of("me@x"), o.sender());
    assertEquals(List.of("a@x"), o.recipients());
  }

  @Test
  void parsesPhpMailInvocation() throws UsageException {
    SendmailOptions o = parse("-t", "-i", "-f", "me@x");
    assertTrue(o.extractRecipients());
    assertTrue(o.ignoreDots());
    assertEquals(Optional.of("me@x"), o.sender());
    assertEquals(List.of(), o.recipients());
  }

  @Test
  void parsesBsdMailxInvocation() throws UsageException {
    SendmailOptions o = parse("-i", "-m", "-v", "-f", "me@x", "a");
    assertTrue(o.verbose());
    assertEquals(DeliveryMode.INTERACTIVE, o.deliveryMode());
    assertEquals(List.of("-m"), o.ignoredOptions());
    assertEquals(List.of("a"), o.recipients());
  }

  @ParameterizedTest
  @CsvSource({"-oi -t", "-t -oi"})
  void parsesUnattendedUpgradesAndCronApt(String args) throws UsageException {
    SendmailOptions o = parse(args.split(" "));
    assertTrue(o.extractRecipients());
    assertTrue(o.ignoreDots());
    assertEquals(List.of(), o.recipients());
  }

  @Test
  void parsesMdadmInvocationWithoutIgnoringDots() throws UsageException {
    SendmailOptions o = parse("-t");
    assertTrue(o.extractRecipients());
    assertFalse(o.ignoreDots());
  }

  @Test
  void keepsFail2banSenderWithDisplayNameRaw() throws UsageException {
    SendmailOptions o = parse("-f", "fail2ban <fail2ban@host>", "root@host");
    assertEquals(Optional.of("fail2ban <fail2ban@host>"), o.sender());
    assertFalse(o.isNullSender());
    assertEquals(List.of("root@host"), o.recipients());
  }

  // Grammar.

  @Test
  void parsesGroupedFlagsWithTrailingValue() throws UsageException {
    SendmailOptions o = parse("-tif", "x", "bob");
    assertTrue(o.extractRecipients());
    assertTrue(o.ignoreDots());
    assertEquals(Optional.of("x"), o.sender());
    assertEquals(List.of("bob"), o.recipients());
  }

  @Test
  void acceptsAttachedAndSeparateValues() throws UsageException {
    assertEquals(Optional.of("user"), parse("-fuser").sender());
    assertEquals(Optional.of("user"), parse("-f", "user").sender());
    assertEquals(Optional.of("user"), parse("-ruser").sender());
  }

  @Test
  void stopsAtFirstRecipient() throws UsageException {
    SendmailOptions o = parse("bob", "-i");
    assertEquals(List.of("bob", "-i"), o.recipients());
    assertFalse(o.ignoreDots());
  }

  @Test
  void doubleDashProtectsRecipientsStartingWithDash() throws UsageException {
    assertEquals(List.of("-odd@x"), parse("-i", "--", "-odd@x").recipients());
  }

  @Test
  void splitsCommaListsInsideOneArgument() throws UsageException {
    SendmailOptions o = parse("a, b", "c,d", "\"Doe, John\" <j@x>, e");
    assertEquals(List.of("a", "b", "c", "d", "\"Doe, John\" <j@x>", "e"), o.recipients());
  }

  @ParameterizedTest
  @CsvSource({"newaliases,NEWALIASES", "mailq,PRINT_QUEUE", "hoststat,HOST_STATUS",
      "purgestat,PURGE_HOST_STATUS", "smtpd,DAEMON", "sendmail,DELIVER",
      "/usr/sbin/mailq,PRINT_QUEUE", "postern-sendmail,DELIVER",
      "/usr/bin/mailq.postern,PRINT_QUEUE", "newaliases.postern,NEWALIASES",
      "sendmail.postern,DELIVER"})
  void choosesModeByProgramName(String program, OperationMode mode) throws UsageException {
    assertEquals(mode, SendmailOptionParser.parse(program, List.of()).mode());
  }

  @Test
  void letsBFlagOverrideProgramName() throws UsageException {
    assertEquals(OperationMode.DELIVER,
        SendmailOptionParser.parse("mailq", List.of("-bm")).mode());
  }

  @Test
  void acceptsMailqWithSubmitConfigFlag() throws UsageException {
    SendmailOptions o = SendmailOptionParser.parse("mailq", List.of("-Ac"));
    assertEquals(OperationMode.PRINT_QUEUE, o.mode());
    assertEquals(List.of("-Ac"), o.ignoredOptions());
  }

  @ParameterizedTest
  @CsvSource({"-bm,DELIVER", "-ba,DELIVER", "-bi,NEWALIASES", "-I,NEWALIASES",
      "-bp,PRINT_QUEUE", "-bP,QUEUE_COUNT", "-bs,SMTP_STDIO", "-bd,DAEMON", "-bl,DAEMON",
      "-bD,DAEMON_FOREGROUND", "-bv,VERIFY", "-bt,ADDRESS_TEST", "-bC,CHECK_CONFIG",
      "-bh,HOST_STATUS", "-bH,PURGE_HOST_STATUS", "-q,QUEUE_RUN"})
  void selectsModeByFlag(String flag, OperationMode mode) throws UsageException {
    assertEquals(mode, parse(flag).mode());
  }

  @Test
  void settlesBModeBeforeOtherFlagsLikeSendmail() throws UsageException {
    // -q is checked against -bp although -bp comes later: sendmail's first pass.
    SendmailOptions o = parse("-qRbob", "-bp");
    assertEquals(OperationMode.PRINT_QUEUE, o.mode());
    assertEquals(1, o.queueFilter().criteria().size());
  }

  // Senders.

  @ParameterizedTest
  @CsvSource(value = {"<>", "''", "' <> '"}, quoteCharacter = '\'')
  void recognisesNullSender(String value) throws UsageException {
    SendmailOptions o = parse("-f", value, "bob");
    assertTrue(o.sender().isPresent());
    assertTrue(o.isNullSender());
  }

  @Test
  void recordsAbsentSenderAsNotGiven() throws UsageException {
    SendmailOptions o = parse("bob");
    assertEquals(Optional.empty(), o.sender());
    assertFalse(o.isNullSender());
  }

  // -o and -O.

  @Test
  void appliesLongOptionsInBothForms() throws UsageException {
    SendmailOptions o = parse("-O", "DeliveryMode=queueonly", "-OErrorMode=quiet",
        "-O", "IgnoreDots=True", "-OAliasFile=/tmp/aliases", "-O QueueDirectory = /q");
    assertEquals(DeliveryMode.QUEUE_ONLY, o.deliveryMode());
    assertEquals(ErrorMode.QUIET, o.errorMode());
    assertTrue(o.ignoreDots());
    assertEquals(List.of("/tmp/aliases"), o.aliasFiles());
    // QueueDirectory is not acted on (see OptionSetter): the queue is the instance's.
    assertEquals(List.of("-O QueueDirectory = /q"), o.ignoredOptions());
  }

  @Test
  void appliesShortOptions() throws UsageException {
    SendmailOptions o = parse("-odq", "-oeq", "-oA/etc/al", "-oQ/var/q", "-oi");
    assertEquals(DeliveryMode.QUEUE_ONLY, o.deliveryMode());
    assertEquals(ErrorMode.QUIET, o.errorMode());
    assertEquals(List.of("/etc/al"), o.aliasFiles());
    assertEquals(List.of("-oQ/var/q"), o.ignoredOptions());
    assertTrue(o.ignoreDots());
  }

  @Test
  void turnsIgnoreDotsOffWithFalseValue() throws UsageException {
    assertFalse(parse("-i", "-O", "IgnoreDots=false").ignoreDots());
  }

  @Test
  void takesErrorModeFromDashE() throws UsageException {
    assertEquals(ErrorMode.MAIL_EXIT_ZERO, parse("-e", "e").errorMode());
    assertEquals(ErrorMode.WRITE, parse("-ew").errorMode());
  }

  @Test
  void ignoresUnknownErrorModeLetterLikeSendmail() throws UsageException {
    assertEquals(ErrorMode.MAIL, parse("-oem", "-oeX").errorMode());
  }

  @Test
  void verboseForcesInteractiveDelivery() throws UsageException {
    assertEquals(DeliveryMode.INTERACTIVE, parse("-odq", "-v").deliveryMode());
  }

  @Test
  void collectsAcceptedButIgnoredFlags() throws UsageException {
    SendmailOptions o = parse("-Ac", "-c", "-m", "-s", "-T", "-U", "-x", "-o7", "-o8", "-om",
        "-ox", "-Mxfoo", "-X/tmp/log", "-XV", "-D/tmp/dbg", "-d8.99",
        "-O", "DefaultCharSet=utf-8", "-OFooBar", "bob");
    assertEquals(List.of("-Ac", "-c", "-m", "-s", "-T", "-U", "-x", "-o7", "-o8", "-om", "-ox",
        "-Mxfoo", "-X/tmp/log", "-XV", "-D/tmp/dbg", "-d8.99", "-ODefaultCharSet=utf-8",
        "-OFooBar"), o.ignoredOptions());
    assertEquals(List.of("bob"), o.recipients());
    assertFalse(o.printVersion());
  }

  @ParameterizedTest
  @CsvSource({"-d0.1", "-d", "-d0-99.1", "-d0.4", "'-d8.9,0.1'", "-d0"})
  void printsVersionWhenDebugCategoryZeroIsOn(String flag) throws UsageException {
    SendmailOptions o = parse(flag);
    assertTrue(o.printVersion());
    assertEquals(List.of(), o.ignoredOptions());
  }

  @Test
  void doesNotPrintVersionForDebugLevelZero() throws UsageException {
    assertFalse(parse("-d0.0").printVersion());
  }

  // Envelope and misc values.

  @Test
  void recordsEnvelopeDetails() throws UsageException {
    SendmailOptions o = parse("-h", "12", "-V", "abc+2Bdef", "-L", "myapp", "-p", "UUCP:relay",
        "-G", "-n", "-C", "/etc/postern", "-N", "NEVER", "-R", "Full", "-B", "7bit");
    assertEquals(OptionalInt.of(12), o.hopCount());
    assertEquals(Optional.of("abc+2Bdef"), o.envid());
    assertEquals(Optional.of("myapp"), o.logTag());
    assertEquals(Optional.of("UUCP"), o.protocol());
    assertEquals(Optional.of("relay"), o.protocolHost());
    assertTrue(o.gateway());
    assertTrue(o.noAliasing());
    assertEquals(Optional.of("/etc/postern"), o.configDir());
    assertEquals(Optional.of(Set.of(DsnNotify.NEVER)), o.dsnNotify());
    assertEquals(Optional.of(DsnRet.FULL), o.dsnRet());
    assertEquals(Optional.of(BodyType.SEVEN_BIT), o.bodyType());
  }

  @Test
  void addsUpSeveralNotifyFlags() throws UsageException {
    assertEquals(Optional.of(Set.of(DsnNotify.SUCCESS, DsnNotify.DELAY)),
        parse("-N", "success", "-N", "Delay").dsnNotify());
  }

  @Test
  void sanitisesAndTruncatesLogTag() throws UsageException {
    SendmailOptions o = parse("-L", "a%b\tc" + "x".repeat(40));
    assertEquals("a*b*c" + "x".repeat(27), o.logTag().orElseThrow());
  }

  @Test
  void takesBareConfigFlagAsTheCurrentDirectory() throws UsageException {
    // sendmail reads ./sendmail.cf; our -C names a directory, so it is ./main.cf.
    assertEquals(Optional.of("."), parse("-C").configDir());
  }

  @Test
  void treatsEmptyHopCountAsZeroLikeStrtol() throws UsageException {
    assertEquals(OptionalInt.of(0), parse("-h", "").hopCount());
  }

  // Queue runs.

  @Test
  void runsQueueOnceForBareQ() throws UsageException {
    SendmailOptions o = parse("-q");
    assertEquals(OperationMode.QUEUE_RUN, o.mode());
    QueueRun run = o.queueRun().orElseThrow();
    assertTrue(run.once());
    assertFalse(run.foreground());
    assertTrue(run.filter().isEmpty());
  }

  @Test
  void bareQDoesNotTakeAFollowingFlag() throws UsageException {
    SendmailOptions o = parse("-q", "-v");
    assertTrue(o.queueRun().orElseThrow().once());
    assertTrue(o.verbose());
  }

  @ParameterizedTest(name = "{0} = {1}s")
  @CsvSource({"-q30m,1800", "-q1h30m,5400", "-q90s,90", "-q2d,172800", "-q1w,604800",
      "-q30,1800", "-q0,0", "-qp,1", "-qp5m,300"})
  void parsesQueueIntervals(String flag, long seconds) throws UsageException {
    assertEquals(Duration.ofSeconds(seconds), parse(flag).queueRun().orElseThrow().interval());
  }

  @Test
  void takesSeparateIntervalAfterBareQLikeSendmail() throws UsageException {
    assertEquals(Duration.ofMinutes(30), parse("-q", "30m").queueRun().orElseThrow().interval());
  }

  @Test
  void keepsDaemonModeWithQueueInterval() throws UsageException {
    SendmailOptions o = parse("-bd", "-q30m");
    assertEquals(OperationMode.DAEMON, o.mode());
    assertEquals(Duration.ofMinutes(30), o.queueRun().orElseThrow().interval());
  }

  @Test
  void runsInForegroundWithQf() throws UsageException {
    QueueRun run = parse("-qf").queueRun().orElseThrow();
    assertTrue(run.foreground());
    assertTrue(run.once());
  }

  @Test
  void marksPersistentRunner() throws UsageException {
    assertTrue(parse("-qp").queueRun().orElseThrow().persistent());
  }

  @Test
  void collectsFiltersGroupAndSelection() throws UsageException {
    QueueRun run = parse("-qRexample", "-q!Sroot", "-qIabc", "-qGmain", "-qQ").queueRun()
        .orElseThrow();
    assertEquals(List.of(
        new QueueFilter.Criterion(QueueFilter.Kind.RECIPIENT, false, "example"),
        new QueueFilter.Criterion(QueueFilter.Kind.SENDER, true, "root"),
        new QueueFilter.Criterion(QueueFilter.Kind.ID, false, "abc")), run.filter().criteria());
    assertEquals(Optional.of("main"), run.group());
    assertEquals(QueueRun.Selection.QUARANTINED, run.selection());
    assertTrue(run.once());
  }

  @Test
  void selectsLostItems() throws UsageException {
    assertEquals(QueueRun.Selection.LOST, parse("-qL").queueRun().orElseThrow().selection());
  }

  @Test
  void filtersMailqListing() throws UsageException {
    SendmailOptions o = SendmailOptionParser.parse("mailq", List.of("-qRdaemon"));
    assertEquals(OperationMode.PRINT_QUEUE, o.mode());
    assertTrue(o.queueFilter().matches("id1", "root", List.of("daemon"), Optional.empty()));
    assertFalse(o.queueFilter().matches("id1", "root", List.of("bin"), Optional.empty()));
  }

  @Test
  void clearsFullNameOnQueueRunLikeSendmail() throws UsageException {
    assertEquals(Optional.empty(), parse("-Fx", "-q").fullName());
    assertEquals(Optional.of("x"), parse("-q", "-Fx").fullName());
  }

  @Test
  void quarantinesWithReasonAndReleasesWithBareQ() throws UsageException {
    SendmailOptions hold = parse("-Qspam", "-qIabc");
    assertEquals(OperationMode.QUEUE_RUN, hold.mode());
    assertEquals(Optional.of("spam"), hold.quarantine().orElseThrow().reason());
    assertTrue(parse("-Q", "-qIabc").quarantine().orElseThrow().isRelease());
  }

  // Usage errors.

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "-Z|illegal option -- Z",
      "-tZ bob|illegal option -- Z",
      "-f|option requires an argument -- f",
      "-i -N|option requires an argument -- N",
      "-bZ|Invalid operation mode Z",
      "-bz|Frozen configurations unsupported",
      "-bq|Invalid operation mode q",
      "-N bogus|Invalid -N argument",
      "-N failure,|Invalid -N argument",
      "-N never,success|Invalid -N argument",
      "-R bogus|Invalid -R value",
      "-R hdrs -R full|Duplicate -R flag",
      "-B bogus|Illegal body type bogus",
      "-h x|Bad hop count (x)",
      "-h 12x|Bad hop count (12x)",
      "-V a=b|Invalid syntax in -V flag",
      "-V a+2|Invalid syntax in -V flag",
      "-f a -r b|More than one \"from\" person",
      "-odx|Unknown delivery mode x",
      "-O DeliveryMode=zap|Unknown delivery mode z",
      "-qbob|Invalid time unit `b'",
      "-q-5m|Invalid -q value",
      "-q!Gx|Can not use -q!G",
      "-qGa -qGb|Can not use multiple -qG options",
      "-bi -q|Can not use -q with -bi",
      "-I -q|Can not use -q with -bi",
      "-bp -Qx|Can not use -Q with -bp",
      "-Q.|Can not use -Q.",
      "-d1 -D /tmp/f|-D file must be before -d",
  })
  void reportsUsageErrorsWithSendmailWording(String args, String line) {
    assertEquals(line, usageError(args.split(" ")));
  }

  @Test
  void reportsModeErrorBeforeEarlierUnknownOption() {
    // sendmail's first pass settles -b silently over the whole line before anything else.
    assertEquals("Invalid operation mode X", usageError("-Z", "-bX"));
  }

  @Test
  void reportsEarlierErrorBeforeBodyTypeError() {
    assertEquals("Invalid -N argument", usageError("-B", "bogus", "-N", "bogus"));
  }

  @Test
  void acceptsQAfterIModeOnlyInThatOrder() throws UsageException {
    // -q then -I: -q ran in deliver mode, -I then switches to newaliases, as in sendmail.
    assertEquals(OperationMode.NEWALIASES, parse("-q", "-I").mode());
  }

  @Test
  void keepsEverythingAfterFirstRecipientEvenBadFlags() throws UsageException {
    assertEquals(List.of("bob", "-Z"), parse("bob", "-Z").recipients());
  }

  @Test
  void keepsArgumentListUnchanged() throws UsageException {
    List<String> args = Arrays.asList("-q", "-t");
    SendmailOptionParser.parse("sendmail", args);
    assertEquals(List.of("-q", "-t"), args);
  }
}
