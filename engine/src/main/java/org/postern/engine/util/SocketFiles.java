package org.postern.engine.util;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Binds a UNIX-domain server socket at a path: a socket file nobody answers on (left by a
 * process that died) is replaced, one that is served is another server's (IOException),
 * and the new file gets exactly the mode asked for.
 *
 * <p>Trusts its caller's path and mode. Stateless.
 */
public final class SocketFiles {
  private SocketFiles() {}

  /** Binds {@code path} with {@code mode} (e.g. 0666); {@code what} names the server. */
  public static ServerSocketChannel bind(Path path, int mode, String what) throws IOException {
    removeStale(path, what);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path));
      Files.setAttribute(path, "unix:mode", mode);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static void removeStale(Path path, String what) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      throw new IOException(path + ": another " + what + " is serving this socket");
    } catch (SocketException e) {
      Files.delete(path); // nobody listening: left behind by a process that died
    }
  }
}
