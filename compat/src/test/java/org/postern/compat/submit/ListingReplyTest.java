package org.postern.compat.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.compat.admin.PosternCommand;
import org.postern.compat.mailq.QueueFixture;
import org.postern.compat.sendmail.SendmailOptionParser;
import org.postern.engine.global.MailLog;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueScanner;
import org.postern.engine.util.ProcessIdentity;

/**
 * The daemon's listing for a peer: mailq's permission rules, the client's zone, and
 * {@code postern queue}'s listing as that command prints it.
 */
class ListingReplyTest {
  @TempDir Path tmp;

  @Test
  void refusesAPeerAuthorizedMailqUsersDoesNotAdmitAsTheCommandDoes() throws Exception {
    QueueFixture f = QueueFixture.create(tmp, "authorized_mailq_users = root");
    f.message("0SCK3E20000A0001", QueueState.DEFERRED).to("bob@b.example").write();
    MailSystem system = f.system();
    ListingReply reply = new ListingReply(system,
        QueueScanner.remembering(system.queue(), MailLog.to(System.err, "showq")),
        MailLog.to(System.err, "showq"));
    ProcessIdentity stranger = new ProcessIdentity("mallory", 54321, 54321, 54321);

    for (List<String> args : List.of(List.of("-bp"), List.of("-bP"))) {
      ListingReply.Outcome o = reply.run(SendmailOptionParser.parse("sendmail", args),
          new SubmitRequest(args, "sendmail", Map.of()), stranger);

      assertEquals(77, o.exit());
      assertEquals("", new String(o.out(), StandardCharsets.UTF_8));
      assertEquals("mailq: You are not permitted to see the queue\n",
          new String(o.err(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void printsPosternQueueListingsAsTheCommandDoesAndLeavesEverythingElseToIt() throws Exception {
    QueueFixture f = QueueFixture.create(tmp);
    f.message("0SCK3E20000A0001", QueueState.DEFERRED).to("bob@b.example").write();
    f.message("0SCK3E20000A0002", QueueState.HOLD).to("carol@c.example").write();
    ListingReply reply = reply(f.system());
    String dir = f.dir.toString();

    // The JVM command's own listing, read from the files (no daemon behind the fixture).
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = new PosternCommand(Map.of()).run(InputStream.nullInputStream(),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
        "-C", dir, "queue", "--json", "--to", "carol");
    assertEquals(0, exit);
    Optional<ListingReply.Outcome> o = reply.runQueueVerb(
        request("-C", dir, "queue", "--json", "--to", "carol"), ProcessIdentity.current());
    assertEquals(0, o.orElseThrow().exit());
    assertEquals(out.toString(StandardCharsets.UTF_8),
        new String(o.get().out(), StandardCharsets.UTF_8));
    assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count());
    assertTrue(reply.runQueueVerb(request("queue", "list", "-v"), ProcessIdentity.current())
        .isPresent());

    // Other verbs and actions, usage errors: the command runs (LOCAL) and says so itself.
    for (List<String> args : List.<List<String>>of(List.of("config", "myhostname"), List.of("queue", "show",
        "0SCK3E20000A0001"), List.of("queue", "hold", "ALL"), List.of("queue", "--bogus"),
        List.of("queue", "list", "extra"), List.of("queue", "--older-than", "5q"),
        List.of("-C"), List.of())) {
      assertEquals(Optional.empty(),
          reply.runQueueVerb(request(args.toArray(String[]::new)), ProcessIdentity.current()),
          args.toString());
    }
  }

  @Test
  void refusesAPosternQueueListingWithTheCommandsWords() throws Exception {
    QueueFixture f = QueueFixture.create(tmp, "authorized_mailq_users = root");
    ListingReply.Outcome o = reply(f.system()).runQueueVerb(request("queue", "--json"),
        new ProcessIdentity("mallory", 54321, 54321, 54321)).orElseThrow();

    assertEquals(77, o.exit());
    assertEquals("", new String(o.out(), StandardCharsets.UTF_8));
    assertEquals("postern: queue: You are not permitted to see the queue\n",
        new String(o.err(), StandardCharsets.UTF_8));
  }

  private static ListingReply reply(MailSystem system) {
    return new ListingReply(system,
        QueueScanner.remembering(system.queue(), MailLog.to(System.err, "showq")),
        MailLog.to(System.err, "showq"));
  }

  private static SubmitRequest request(String... args) {
    return new SubmitRequest(List.of(args), "postern", Map.of("TZ", "UTC"));
  }
}
