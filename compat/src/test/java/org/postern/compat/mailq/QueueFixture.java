package org.postern.compat.mailq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postern.engine.global.Config;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.ProcessIdentity;

/**
 * A test instance whose queue is written directly, with fixed ids, times and delivery
 * status, so listings can be compared byte for byte with golden files. The clock is fixed at
 * {@link #NOW} in UTC; arrival times are given in minutes before it.
 */
public final class QueueFixture {
  /** The fixed "now" of every listing. */
  public static final Instant NOW = Instant.parse("2026-11-25T03:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  public final Path dir;
  public final QueueDirectory queue;
  public final int me;

  private QueueFixture(Path dir) throws IOException {
    this.dir = dir;
    this.queue = new QueueDirectory(dir.resolve("queue"));
    this.me = ProcessIdentity.current().uid();
  }

  /** An instance in {@code dir}; {@code mainCf} lines are appended to its main.cf. */
  public static QueueFixture create(Path dir, String... mainCf) throws IOException {
    QueueFixture f = new QueueFixture(dir);
    ProcessIdentity me = ProcessIdentity.current();
    Files.writeString(dir.resolve("users"), "alice:x:" + me.uid() + ":" + me.gid()
        + ":Alice:" + dir + ":/bin/sh\n");
    StringBuilder cf = new StringBuilder()
        .append("root = ").append(dir).append('\n')
        .append("myhostname = mail.example.org\n")
        .append("queue_directory = queue\n")
        .append("mail_spool_directory = mail\n")
        .append("local_users_file = users\n")
        .append("maillog_file = maillog\n");
    for (String line : mainCf) {
      cf.append(line).append('\n');
    }
    Files.writeString(dir.resolve("main.cf"), cf.toString());
    f.queue.create();
    return f;
  }

  public MailSystem system() throws Exception {
    return MailSystem.open(Config.load(dir));
  }

  /** Builds one queued message. */
  public Message message(String id, QueueState state) {
    return new Message(new QueueId(id), state);
  }

  /** A queue file in the making: envelope fields, content and per-recipient results. */
  public final class Message {
    private final QueueId id;
    private final QueueState state;
    private long minutesAgo = 10;
    private int uid = me;
    private String sender = "alice@example.org";
    private String content = "Subject: test\n\nhello\n";
    private final List<String> recipients = new ArrayList<>();
    private final Map<String, String> attributes = new java.util.TreeMap<>();
    private DeliveryStatus status = DeliveryStatus.fresh();

    private Message(QueueId id, QueueState state) {
      this.id = id;
      this.state = state;
    }

    public Message arrived(long minutesBeforeNow) {
      this.minutesAgo = minutesBeforeNow;
      return this;
    }

    public Message uid(int value) {
      this.uid = value;
      return this;
    }

    public Message from(String value) {
      this.sender = value;
      return this;
    }

    public Message content(String value) {
      this.content = value;
      return this;
    }

    public Message attribute(String name, String value) {
      attributes.put(name, value);
      return this;
    }

    public Message to(String... addresses) {
      recipients.addAll(List.of(addresses));
      return this;
    }

    /** Recipient {@code index} had a result {@code minutesBeforeNow} minutes ago. */
    public Message result(int index, DeliveryStatus.Result result, String dsn, String text,
        long minutesBeforeNow) {
      status = status.with(index, new DeliveryStatus.Entry(result, new DsnStatus(dsn, text),
          NOW.minusSeconds(60 * minutesBeforeNow).toEpochMilli()));
      return this;
    }

    /** One more failed attempt, next one due {@code minutesFromNow} from now. */
    public Message attempt(long minutesFromNow) {
      status = status.withAttempt(NOW.plusSeconds(60 * minutesFromNow).toEpochMilli());
      return this;
    }

    public QueueId write() throws IOException {
      List<Recipient> rcpts = recipients.stream().map(Recipient::new).toList();
      Envelope env = new Envelope(NOW.minusSeconds(60 * minutesAgo).toEpochMilli(), uid,
          "alice", sender, rcpts, attributes);
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      QueueFileWriter.write(queue.file(state, id), QueueDirectory.FILE_MODE, env,
          out -> out.write(bytes));
      if (!status.equals(DeliveryStatus.fresh())) {
        status.write(queue.statusFile(id));
      }
      return id;
    }
  }
}
