package org.postern.compat.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.compat.admin.PosternCommand;
import org.postern.compat.sendmail.SendmailCommand;
import org.postern.engine.global.Config;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.util.ProcessIdentity;

/**
 * The submission socket end to end: a real {@link SubmissionServer} on a UNIX socket in a
 * fresh {@code postern init} instance, driven by the sendmail command in this JVM, by raw
 * protocol bytes, and (as root) by a Python client running as nobody.
 */
class SubmissionServerIT {
  private static final String MESSAGE = "Subject: test\n\nhello\n";
  private static final SubmissionServer.Limits FAST =
      new SubmissionServer.Limits(16, Duration.ofSeconds(5), Duration.ofSeconds(5));

  /** One command run: exit code and what it printed. */
  record Run(int exit, String out, String err) {}

  @TempDir Path tmp;
  private Path dir;
  private Config config;
  private final AtomicInteger wakeUps = new AtomicInteger();
  private SubmissionServer server;
  private Thread serving;

  @BeforeEach
  void setUp() throws Exception {
    dir = tmp.resolve("inst");
    Run init = run(new PosternCommand(Map.of())::run, "", "init", dir.toString(),
        "--user", "alice", "--user", "bob", "--user", "carol");
    assertEquals(new Run(0, "", ""), init);
    config = Config.load(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    stopServer();
  }

  private void startServer(SubmissionServer.Limits limits) throws Exception {
    server = SubmissionServer.open(config, wakeUps::incrementAndGet, limits);
    serving = new Thread(server::serve, "test-serve");
    serving.start();
  }

  private void stopServer() throws Exception {
    if (server != null) {
      server.close();
      serving.join(5000);
      assertFalse(serving.isAlive(), "serve() returns after close()");
      server = null;
    }
  }

  // Submission through the socket.

  @Test
  void queuesInIncomingUnderTheClientsUidAndTheQueueRunDeliversIt() throws Exception {
    startServer(FAST);

    assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "bob"));

    List<QueueId> queued = ids(QueueState.INCOMING);
    assertEquals(1, queued.size());
    assertEquals(0, ids(QueueState.MAILDROP).size(), "the maildrop is not used");
    QueueFile file = QueueFileReader.read(queue(QueueState.INCOMING, queued.get(0)));
    assertEquals(ProcessIdentity.current().uid(), file.envelope().uid());
    assertEquals(1, wakeUps.get(), "the scheduler is woken once the message is queued");

    MailSystem.open(config).runQueue(false);

    String mbox = Files.readString(dir.resolve("mail").resolve("bob"));
    assertTrue(mbox.contains("\nSubject: test\n"), mbox);
    assertTrue(mbox.endsWith("\n\nhello\n\n"), mbox);
  }

  @Test
  void answersOnlyWhenTheQueueFileIsDurable() throws Exception {
    startServer(FAST);
    try (RawClient c = new RawClient(socket())) {
      c.header(List.of("bob"), "sendmail");
      assertEquals("SEND DOT", c.line());
      c.chunks(MESSAGE);

      assertEquals("EXIT 0", c.line());
      // At this instant the complete file must be there (a half-written one fails to read).
      List<QueueId> queued = ids(QueueState.INCOMING);
      assertEquals(1, queued.size());
      QueueFileReader.read(queue(QueueState.INCOMING, queued.get(0)));
      assertEquals(-1, c.in.read(), "the server closes after EXIT");
    }
  }

  @Test
  void makesTheSocketConnectableByEveryLocalUser() throws Exception {
    startServer(FAST);

    assertEquals(0666, mode(socket()));
    assertEquals(0755, mode(socket().getParent()));
    assertEquals(Files.getAttribute(dir.resolve("queue"), "unix:uid"),
        Files.getAttribute(socket().getParent(), "unix:uid"));
  }

  static Stream<Arguments> submissions() {
    return Stream.of(
        Arguments.of(MESSAGE, List.of("bob", "carol")),
        Arguments.of(MESSAGE, List.of("bob", "nosuchuser")),
        Arguments.of(MESSAGE, List.of("-oep", "nosuchuser")),
        Arguments.of(MESSAGE, List.of("-oeq", "nosuchuser")),
        Arguments.of(MESSAGE, List.of("-oem", "nosuchuser")),
        Arguments.of(MESSAGE, List.of("-oee", "nosuchuser")),
        Arguments.of(MESSAGE, List.of("a@@b")),
        Arguments.of(MESSAGE, List.of("-f", "a@@b", "bob")),
        Arguments.of(MESSAGE, List.of()),
        Arguments.of("Subject: none\n\nx\n", List.of("-t")),
        Arguments.of("To: bob\nSubject: t\n\nbody\n.\nafter the dot\n", List.of("-t")),
        Arguments.of("Subject: t\n\n.\n..\nend\n", List.of("-i", "bob")));
  }

  @ParameterizedTest
  @MethodSource("submissions")
  void printsExitsAndQueuesExactlyAsTheCommandWould(String stdin, List<String> args)
      throws Exception {
    String[] argv = args.toArray(String[]::new);
    Run local = sendmail(stdin, argv);
    long dropped = ids(QueueState.MAILDROP).size();
    String localDead = deadLetterWithoutDate();
    Files.deleteIfExists(deadLetter());
    startServer(FAST);

    Run daemon = sendmail(stdin, argv);

    assertEquals(local, daemon);
    assertEquals(dropped, ids(QueueState.INCOMING).size(), "as many messages queued");
    assertEquals(localDead, deadLetterWithoutDate(), "the same dead.letter");
  }

  @Test
  void savesTheDeadLetterCopyAsTheClientsUser() throws Exception {
    startServer(FAST);

    assertEquals(new Run(67, "", "nosuchuser... User unknown\n"
            + deadLetter() + "... Saved message in " + deadLetter() + "\n"),
        sendmail(MESSAGE, "nosuchuser"));

    String dead = Files.readString(deadLetter());
    assertTrue(dead.startsWith("From " + ProcessIdentity.current().name() + " "), dead);
    assertTrue(dead.endsWith("\n" + MESSAGE + "\n"), dead);
    assertEquals(0, ids(QueueState.INCOMING).size());
  }

  @Test
  void verboseSubmissionsDeliverInTheCommandNotThroughTheDaemon() throws Exception {
    startServer(FAST);

    Run r = sendmail(MESSAGE, "-v", "bob");

    // -v shows the delivery as it happens, which only the command itself can do.
    assertEquals(0, r.exit());
    assertTrue(r.err().startsWith("sendmail: queued as "), r.err());
    assertTrue(r.err().endsWith(": delivery complete\n"), r.err());
    assertEquals(0, ids(QueueState.INCOMING).size());
  }

  @Test
  void refusesAnOversizedMessageWith65AsTheCommandDoes() throws Exception {
    Files.writeString(dir.resolve("main.cf"), "message_size_limit = 100\n",
        StandardOpenOption.APPEND);
    config = Config.load(dir);
    startServer(FAST);

    Run r = sendmail("Subject: big\n\n" + "x".repeat(200_000) + "\n", "bob");

    assertEquals(new Run(65, "",
        "sendmail: 552 5.3.4 Message size exceeds fixed maximum message size (100)\n"), r);
    assertEquals(0, ids(QueueState.INCOMING).size());
  }

  @Test
  void stopsReadingStdinAtTheDotLine() throws Exception {
    startServer(FAST);
    InputStream typed = new InputStream() {
      private final InputStream lines =
          new ByteArrayInputStream("Subject: t\n\nline\n.\n".getBytes(StandardCharsets.UTF_8));

      @Override
      public int read() throws IOException {
        throw new IOException("read one byte at a time");
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = lines.read(b, off, Math.min(len, 6)); // a terminal hands over a little at a time
        if (n < 0) {
          throw new IOException("read past the end-of-message line");
        }
        return n;
      }
    };

    Run r = run(new SendmailCommand(Map.of(), "sendmail")::run, typed, "-C", dir.toString(),
        "bob");

    assertEquals(new Run(0, "", ""), r);
    assertEquals(1, ids(QueueState.INCOMING).size());
  }

  @Test
  void servesEightClientsAtOnce() throws Exception {
    startServer(FAST);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Run>> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String body = "Subject: n" + i + "\n\n" + "line\n".repeat(20_000);
        clients.add(() -> sendmail(body, "bob"));
      }
      for (Future<Run> f : pool.invokeAll(clients, 60, TimeUnit.SECONDS)) {
        assertEquals(new Run(0, "", ""), f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(8, ids(QueueState.INCOMING).size());
    assertEquals(0, ids(QueueState.MAILDROP).size());
  }

  // Modes the daemon leaves to the command (listings: see ListingReplyIT).

  static Stream<Arguments> localCommands() {
    return Stream.of(
        Arguments.of("sendmail", List.of("-bs")),
        Arguments.of("sendmail", List.of("-d0.1", "-bp")),
        Arguments.of("sendmail", List.of("-q")),
        Arguments.of("sendmail", List.of("-bi")),
        Arguments.of("sendmail", List.of("-bv", "bob")),
        Arguments.of("sendmail", List.of("-d0.1", "bob")),
        Arguments.of("sendmail", List.of("-Z", "bob")),
        // -v delivers in the command's own process, showing the dialogue.
        Arguments.of("sendmail", List.of("-v", "bob")),
        Arguments.of("sendmail", List.of("-oeq", "-O", "Verbose=true", "bob")),
        Arguments.of("mailq", List.of("-q30m", "-qZ")),
        Arguments.of("newaliases", List.of()));
  }

  @ParameterizedTest
  @MethodSource("localCommands")
  void answersLocalForWhatIsNotAMessageSubmission(String program, List<String> args)
      throws Exception {
    startServer(FAST);
    try (RawClient c = new RawClient(socket())) {
      c.header(args, program);

      assertEquals("LOCAL", c.line());
      assertEquals(-1, c.in.read());
    }
  }

  @Test
  void listsTheQueueLocallyWhileTheDaemonRuns() throws Exception {
    startServer(FAST);

    Run r = sendmail("", "-bp");

    assertEquals(new Run(0, dir.resolve("queue") + " is empty\n\t\tTotal requests: 0\n", ""), r);
  }

  // A bad or stuck client.

  static Stream<Arguments> badClients() {
    String ok = "POSTERN-SUBMIT 1\n1\n3\nbob8\nsendmail0\n";
    return Stream.of(
        Arguments.of("garbage", "HELO there\r\n"),
        Arguments.of("another version", "POSTERN-SUBMIT 2\n0\n8\nsendmail0\n"),
        Arguments.of("a count that is not a number", "POSTERN-SUBMIT 1\n-1\n"),
        Arguments.of("a huge length", "POSTERN-SUBMIT 1\n1\n99999999999\n"),
        Arguments.of("a length over the header limit", "POSTERN-SUBMIT 1\n1\n9999999999\nx"),
        Arguments.of("a truncated argument", "POSTERN-SUBMIT 1\n1\n50\nbob"),
        Arguments.of("no program name", "POSTERN-SUBMIT 1\n0\n"),
        Arguments.of("an environment entry without a name", ok.replace("0\n", "1\n2\n=x\n")),
        Arguments.of("a huge data chunk", ok + "9999999\n"),
        Arguments.of("a truncated data chunk", ok + "100\nSubject: x\n"),
        Arguments.of("data without its end", ok + "6\nhello\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badClients")
  void answersABadClientWithOneErrorLineAndQueuesNothing(String what, String bytes)
      throws Exception {
    startServer(FAST);
    try (RawClient c = new RawClient(socket())) {
      c.out.write(bytes.getBytes(StandardCharsets.UTF_8));
      c.out.flush();
      c.channel.shutdownOutput();

      String line = c.line();
      if (line.startsWith("SEND")) {
        line = c.line(); // the header was fine: the data is what is wrong
      }
      assertTrue(line.startsWith("ERROR "), line);
      assertEquals(-1, c.in.read(), "one line, then the close");
    }
    assertEquals(0, ids(QueueState.INCOMING).size());

    assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "bob"), "the server still serves");
  }

  @Test
  void closesAClientThatSendsNothing() throws Exception {
    startServer(new SubmissionServer.Limits(16, Duration.ofMillis(300), Duration.ofMillis(300)));
    try (RawClient c = new RawClient(socket())) {
      long start = System.nanoTime();

      assertThrows(IOException.class, c::line);
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }
    assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "bob"), "the server still serves");
  }

  @Test
  void sendsClientsOverTheConnectionLimitToTheMaildrop() throws Exception {
    startServer(new SubmissionServer.Limits(1, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    try (RawClient hog = new RawClient(socket())) { // accepted first: it holds the one slot
      assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "bob"));

      assertEquals(1, ids(QueueState.MAILDROP).size());
      assertEquals(0, ids(QueueState.INCOMING).size());
    }
  }

  // The daemon down, stale or gone mid-way.

  @Test
  void usesTheMaildropWhenNobodyListensOnTheSocket() throws Exception {
    staleSocket();

    assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "-odq", "bob"));

    assertEquals(1, ids(QueueState.MAILDROP).size());
  }

  @Test
  void replacesAStaleSocketButNeverALiveOne() throws Exception {
    staleSocket();
    startServer(FAST);

    IOException e = assertThrows(IOException.class,
        () -> SubmissionServer.open(config, () -> { }, FAST));

    assertTrue(e.getMessage().contains("another daemon"), e.getMessage());
    assertEquals(new Run(0, "", ""), sendmail(MESSAGE, "bob"));
    assertEquals(1, ids(QueueState.INCOMING).size());
  }

  @Test
  void exits75AndNeverFallsBackWhenTheConnectionBreaksAfterSend() throws Exception {
    Files.createDirectories(socket().getParent());
    try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      fake.bind(UnixDomainSocketAddress.of(socket()));
      Thread daemon = new Thread(() -> {
        try (SocketChannel c = fake.accept()) {
          InputStream in = Channels.newInputStream(c);
          SubmitRequest.read(in);
          c.write(java.nio.ByteBuffer.wrap("SEND EOF\n".getBytes(StandardCharsets.US_ASCII)));
          in.read(new byte[10]); // a piece of the data, then the crash
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
      daemon.start();

      Run r = sendmail(MESSAGE, "bob");

      daemon.join(5000);
      assertEquals(75, r.exit());
      assertTrue(r.err().startsWith("sendmail: lost the connection to the mail daemon"), r.err());
      assertEquals(0, ids(QueueState.MAILDROP).size(), "no second copy through the maildrop");
    }
  }

  // Identity.

  @Test
  void queuesUnderThePeersUidWhateverTheClientIs() throws Exception {
    assumeTrue(ProcessIdentity.current().uid() == 0, "needs root to run a client as nobody");
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python) && Files.isExecutable(Path.of("/usr/bin/setpriv")));
    Files.setAttribute(tmp, "unix:mode", 0755); // let nobody reach the socket
    Path client = tmp.resolve("submit_client.py");
    try (InputStream script = getClass().getResourceAsStream("submit_client.py")) {
      Files.copy(script, client);
    }
    Files.setAttribute(client, "unix:mode", 0755);
    startServer(FAST);

    Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
        "--clear-groups", python.toString(), client.toString(), socket().toString(),
        "-f", "root", "bob")
        .directory(tmp.toFile())
        .redirectErrorStream(true)
        .start();
    p.getOutputStream().write(MESSAGE.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));

    List<QueueId> queued = ids(QueueState.INCOMING);
    assertEquals(0, p.exitValue(), output);
    assertEquals(1, queued.size());
    assertEquals("", output);
    QueueFile file = QueueFileReader.read(queue(QueueState.INCOMING, queued.get(0)));
    assertEquals(65534, file.envelope().uid(), "the kernel's word, not the client's");
    String content = new String(file.readContent(), StandardCharsets.UTF_8);
    assertTrue(content.contains("X-Authentication-Warning:"), content);
  }

  // Helpers.

  private Path socket() {
    return SubmitSocket.path(config);
  }

  private void staleSocket() throws IOException {
    Files.createDirectories(socket().getParent());
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket()));
    }
    assertTrue(Files.exists(socket()), "closing a UNIX server socket leaves its file");
  }

  private Path queue(QueueState state, QueueId id) {
    return dir.resolve("queue").resolve(state.dirName()).resolve(id.value());
  }

  private List<QueueId> ids(QueueState state) throws IOException {
    List<QueueId> ids = new ArrayList<>();
    Path d = dir.resolve("queue").resolve(state.dirName());
    try (Stream<Path> s = Files.list(d)) {
      s.map(p -> p.getFileName().toString()).filter(QueueId::isValid).sorted()
          .forEach(n -> ids.add(new QueueId(n)));
    }
    return ids;
  }

  private Path deadLetter() throws IOException {
    return dir.resolve("home").resolve(ProcessIdentity.current().name()).resolve("dead.letter");
  }

  /** dead.letter with the From_ line's date cut off ("" when there is none). */
  private String deadLetterWithoutDate() throws IOException {
    Path p = deadLetter();
    if (!Files.exists(p)) {
      return "";
    }
    return Files.readString(p).replaceAll("(?m)^(From \\S+) .*$", "$1");
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode") & 07777;
  }

  private Run sendmail(String stdin, String... args) {
    List<String> argv = new ArrayList<>(List.of("-C", dir.toString()));
    argv.addAll(List.of(args));
    return run(new SendmailCommand(Map.of(), "sendmail")::run,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        argv.toArray(String[]::new));
  }

  private interface Command {
    int run(InputStream in, PrintStream out, PrintStream err, String... args);
  }

  private static Run run(Command c, String stdin, String... args) {
    return run(c, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
  }

  private static Run run(Command c, InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = c.run(stdin, o, e, args);
    }
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A client speaking the protocol byte by byte, to say what a real client would not. */
  private static final class RawClient implements AutoCloseable {
    final SocketChannel channel;
    final InputStream in;
    final OutputStream out;

    RawClient(Path socket) throws IOException {
      channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      in = Channels.newInputStream(channel);
      out = Channels.newOutputStream(channel);
    }

    void header(List<String> args, String program) throws IOException {
      new SubmitRequest(args, program, Map.of()).write(out);
      out.flush();
    }

    void chunks(String data) throws IOException {
      byte[] b = data.getBytes(StandardCharsets.UTF_8);
      SubmitProtocol.writeItem(out, b, 0, b.length);
      SubmitProtocol.writeLine(out, "0");
      out.flush();
    }

    String line() throws IOException {
      return SubmitProtocol.readLine(in, SubmitProtocol.MAX_LINE);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
