package org.postern.compat.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.compat.mailq.QueueFixture;
import org.postern.compat.sendmail.SendmailOptionParser;
import org.postern.engine.global.MailLog;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueScanner;
import org.postern.engine.util.ProcessIdentity;

/** The daemon's listing for a peer: mailq's permission rules, the client's zone. */
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
}
