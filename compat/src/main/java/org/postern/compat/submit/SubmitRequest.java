package org.postern.compat.submit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header a client sends (see {@link SubmitProtocol}): the protocol version it speaks, the
 * command's arguments, the name it was called by, and its environment entries.
 *
 * <p>Reading trusts nothing: counts and lengths are checked against {@link
 * SubmitProtocol#MAX_HEADER} before anything is allocated, and a violation is a
 * ProtocolException. Nothing here says who the user is. Immutable.
 */
public record SubmitRequest(
    int version, List<String> args, String program, Map<String, String> env) {
  public SubmitRequest {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  /** A request of the version this side speaks. */
  public SubmitRequest(List<String> args, String program, Map<String, String> env) {
    this(SubmitProtocol.VERSION, args, program, env);
  }

  /** Whether the client takes a REPLY (version 2 on). */
  public boolean takesReply() {
    return version >= 2;
  }

  /** Sends the header, magic line first. */
  public void write(OutputStream out) throws IOException {
    SubmitProtocol.writeLine(out, SubmitProtocol.MAGIC_PREFIX + version);
    SubmitProtocol.writeLine(out, Integer.toString(args.size()));
    for (String a : args) {
      SubmitProtocol.writeItem(out, a);
    }
    SubmitProtocol.writeItem(out, program);
    SubmitProtocol.writeLine(out, Integer.toString(env.size()));
    for (Map.Entry<String, String> e : env.entrySet()) {
      SubmitProtocol.writeItem(out, e.getKey() + "=" + e.getValue());
    }
  }

  /** Reads and checks a header, magic line first. */
  public static SubmitRequest read(InputStream raw) throws IOException {
    Budget in = new Budget(raw, SubmitProtocol.MAX_HEADER);
    int version = version(SubmitProtocol.readLine(in, SubmitProtocol.MAX_LINE));
    List<String> args = items(in);
    String program = text(item(in, SubmitProtocol.MAX_LINE));
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : items(in)) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new SubmitProtocol.ProtocolException(
            "environment entry without a name: \"" + SubmitProtocol.printable(entry) + "\"");
      }
      env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return new SubmitRequest(version, args, program, env);
  }

  /** The version of a magic line this server speaks. */
  private static int version(String magic) throws SubmitProtocol.ProtocolException {
    for (int v = SubmitProtocol.FIRST_VERSION; v <= SubmitProtocol.VERSION; v++) {
      if (magic.equals(SubmitProtocol.MAGIC_PREFIX + v)) {
        return v;
      }
    }
    throw new SubmitProtocol.ProtocolException(
        "expected \"" + SubmitProtocol.MAGIC_PREFIX + SubmitProtocol.VERSION + "\", got \""
            + SubmitProtocol.printable(magic) + "\"");
  }

  /** A count LINE, then that many ITEMs (each needs at least two bytes of framing). */
  private static List<String> items(Budget in) throws IOException {
    int count = SubmitProtocol.readNumber(in, SubmitProtocol.MAX_HEADER / 2);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(text(item(in, SubmitProtocol.MAX_HEADER)));
    }
    return items;
  }

  /** One ITEM, refused before reading when it cannot fit in what is left of the header. */
  private static byte[] item(Budget in, int max) throws IOException {
    int n = SubmitProtocol.readNumber(in, max);
    in.ensure(n);
    return SubmitProtocol.readBytes(in, n);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Refuses to read more than the header may hold (so a huge length fails before reading). */
  private static final class Budget extends FilterInputStream {
    private long left;

    Budget(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      spend(1);
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      spend(len); // readers never ask for more than the item they are reading
      int n = super.read(b, off, len);
      left += len - Math.max(n, 0);
      return n;
    }

    private void spend(int n) throws SubmitProtocol.ProtocolException {
      ensure(n);
      left -= n;
    }

    /** Fails unless {@code n} more bytes fit. */
    void ensure(long n) throws SubmitProtocol.ProtocolException {
      if (left < n) {
        throw new SubmitProtocol.ProtocolException(
            "header longer than " + SubmitProtocol.MAX_HEADER + " bytes");
      }
    }
  }
}
