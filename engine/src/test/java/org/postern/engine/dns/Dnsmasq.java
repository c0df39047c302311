package org.postern.engine.dns;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.postern.engine.util.ProcessIdentity;

/**
 * A real DNS server for tests: dnsmasq on 127.0.0.1 and a free port (UDP and TCP), serving
 * only the records a test gives as dnsmasq options ({@code --host-record=name,ip[,ip6]} with
 * its PTRs, {@code --mx-host=domain,host,pref}, {@code --txt-record=name,text},
 * {@code --ptr-record=arpa-name,host}, {@code --address=/name/ip}). Nothing is forwarded
 * ({@code --no-resolv}) and every other name is NXDOMAIN ({@code --local=/#/}), or REFUSED
 * if the test asks for a server that refuses.
 *
 * <p>Runs as the invoking user (as root, {@code --user} keeps it from switching to nobody).
 * Tests are skipped where /usr/sbin/dnsmasq is not installed. Owns the process; close stops it.
 */
public final class Dnsmasq implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Process process;
  private final int port;
  private final Path output;

  private Dnsmasq(Process process, int port, Path output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /** Starts dnsmasq with these record options; returns once it answers on TCP. */
  public static Dnsmasq start(String... records) throws IOException, InterruptedException {
    return start(true, records);
  }

  /** Like {@link #start}, but other names get REFUSED (an upstream-less forwarder's answer). */
  public static Dnsmasq startRefusingUnknown(String... records)
      throws IOException, InterruptedException {
    return start(false, records);
  }

  private static Dnsmasq start(boolean nxdomain, String... records)
      throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(BINARY), "dnsmasq is not installed (apt-get install dnsmasq)");
    String failure = "";
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      Path output = Files.createTempFile("dnsmasq", ".log");
      List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--no-daemon",
          "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--port=" + port,
          "--listen-address=127.0.0.1", "--bind-interfaces", "--log-facility=-"));
      if (nxdomain) {
        command.add("--local=/#/");
      }
      if (ProcessIdentity.current().isRoot()) {
        command.add("--user=" + ProcessIdentity.current().name());
      }
      command.addAll(List.of(records));
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (ready(p, port)) {
        return new Dnsmasq(p, port, output);
      }
      p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
      failure = Files.readString(output); // most likely the port was taken meanwhile
      Files.deleteIfExists(output);
    }
    throw new IOException("dnsmasq did not start: " + failure);
  }

  /** The {@code dns_resolver} value that asks this server. */
  public String resolver() {
    return "127.0.0.1:" + port;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(LOOPBACK, port);
  }

  /** What dnsmasq logged so far (its start-up lines). */
  public String log() throws IOException {
    return Files.readString(output);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(2, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(output);
  }

  /** A port free for both TCP and UDP just now. */
  private static int freePort() throws IOException {
    while (true) {
      try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(port, LOOPBACK)) {
          return port;
        } catch (IOException e) {
          // taken for UDP by someone else: try another
        }
      }
    }
  }

  private static boolean ready(Process p, int port) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < end && p.isAlive()) {
      try (Socket s = new Socket(LOOPBACK, port)) {
        return true;
      } catch (IOException e) {
        Thread.sleep(20); // not listening yet
      }
    }
    return false;
  }
}
