package org.postern.compat.mailq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postern.engine.global.TempFailException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.DeliveryStatus.Result;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueListing;
import org.postern.engine.showq.QueueScanner;

class ShowqIT {
  @TempDir Path tmp;

  private static QueueFixture queued(Path dir) throws IOException {
    QueueFixture f = QueueFixture.create(dir);
    f.message("0TP1A00000000005", QueueState.DEFERRED).arrived(130)
        .to("far@example.com", "other@example.net")
        .result(0, Result.DEFERRED, "4.4.1", "connect to mx.example.com: \"refused\"", 6)
        .attempt(10).write();
    f.message("0TP1A00000000007", QueueState.HOLD).arrived(90).from("")
        .to("spam@example.com").write();
    f.message("0TP1A00000000008", QueueState.DEFERRED).arrived(3).from("bob@example.org")
        .to("alice@example.org").write();
    return f;
  }

  private static byte[] printedHere(ListingOrder order, MailSystem system) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      order.print(out, system.queue().root().toString(), order.clock(),
          new QueueScanner(system.queue(), system.log("showq")).scan());
    }
    return bytes.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(QueuePrinter.Layout.class)
  void theDaemonPrintsTheBytesTheCommandWouldPrint(QueuePrinter.Layout layout) throws Exception {
    QueueFixture f = queued(tmp);
    MailSystem system = f.system();
    Files.createDirectories(ShowqServer.path(system.config()).getParent());
    ListingFilter from = new ListingFilter(new QueueFilter(List.of(new QueueFilter.Criterion(
        QueueFilter.Kind.RECIPIENT, false, "EXAMPLE.COM"))), OptionalLong.empty());
    try (ShowqServer server = ShowqServer.open(system.config(), system.queue(),
        QueueScanner.remembering(system.queue(), system.log("showq")))) {
      Thread serving = new Thread(server::serve, "test-showq");
      serving.start();
      for (ListingOrder order : List.of(
          new ListingOrder(layout, false, ListingFilter.NONE, Optional.of("Europe/Berlin")),
          new ListingOrder(layout, true, from, Optional.empty()))) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertTrue(new ShowqClient(ShowqServer.path(system.config())).print(order, got));
        assertArrayEquals(printedHere(order, system), got.toByteArray(), order.toString());
        assertTrue(got.size() > 0);
      }
    }
  }

  @Test
  void noDaemonIsAnIoExceptionTheCallerFallsBackOn() {
    ShowqClient client = new ShowqClient(tmp.resolve("no-such-socket"));
    assertThrows(IOException.class, () -> client.print(order(), new ByteArrayOutputStream()));
    assertThrows(IOException.class, () -> client.fetch(QueueListing.Request.QUEUE));
  }

  @Test
  void aDaemonThatNeverAnswersTimesOut() throws Exception {
    Path socket = tmp.resolve("showq");
    try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.bind(UnixDomainSocketAddress.of(socket)); // never accepts: connect still works
      ShowqClient client = new ShowqClient(socket, Duration.ofSeconds(1));
      long start = System.nanoTime();
      TempFailException e = assertThrows(TempFailException.class,
          () -> client.print(order(), new ByteArrayOutputStream()));
      assertEquals("the mail daemon did not answer within 1 s", e.getMessage());
      assertThrows(TempFailException.class, () -> client.fetch(QueueListing.Request.QUEUE));
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }
  }

  @Test
  void aListingCutShortIsATemporaryFailureAfterTheBytesThatCame() throws Exception {
    Path socket = tmp.resolve("showq");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread daemon = new Thread(() -> {
        try (SocketChannel ch = server.accept()) {
          ch.read(ByteBuffer.allocate(4096)); // the request, sent in one write
          DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
          QueueListing.writeAccepted(out);
          out.writeInt(3);
          out.write("abc".getBytes(StandardCharsets.US_ASCII));
          out.flush(); // and no end marker
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      daemon.start();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      TempFailException e = assertThrows(TempFailException.class,
          () -> new ShowqClient(socket).print(order(), got));
      assertTrue(e.getMessage().startsWith("the listing from the mail daemon was cut short"),
          e.getMessage());
      assertEquals("abc", got.toString(StandardCharsets.US_ASCII));
      daemon.join(5000);
    }
  }

  private static ListingOrder order() {
    return new ListingOrder(QueuePrinter.Layout.JSON, false, ListingFilter.NONE,
        Optional.empty());
  }
}
