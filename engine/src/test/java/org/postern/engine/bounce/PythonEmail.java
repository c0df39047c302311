package org.postern.engine.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Parses a message with python3's email package (an independent MIME implementation) and returns
 * what it saw as flat {@code key -> value} pairs: the top-level headers, each part's type,
 * description and encoding, each delivery-status group's fields ({@code ds0.action}), and the
 * returned message or headers. Test support only.
 */
final class PythonEmail {
  private static final String SCRIPT =
      """
      import sys, email
      from email import policy
      m = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
      out = {}
      def put(k, v):
          out[k] = str(v)
      put('type', m.get_content_type())
      put('report-type', m.get_param('report-type'))
      for h in ('subject', 'from', 'to', 'date', 'message-id', 'auto-submitted',
                'mime-version', 'content-transfer-encoding'):
          put(h, m[h])
      put('to.addr', m['to'].addresses[0].addr_spec)
      put('defects', sum(len(p.defects) for p in m.walk()))
      parts = m.get_payload() if m.is_multipart() else []
      put('parts', len(parts))
      for i, p in enumerate(parts):
          put('part%d.type' % i, p.get_content_type())
          put('part%d.description' % i, p['content-description'])
          put('part%d.cte' % i, p['content-transfer-encoding'])
      if len(parts) > 0:
          put('text', parts[0].get_content())
      if len(parts) > 1:
          groups = parts[1].get_payload()
          put('ds.groups', len(groups))
          for j, g in enumerate(groups):
              for k, v in g.items():
                  put('ds%d.%s' % (j, k.lower()), v)
      if len(parts) > 2:
          p = parts[2]
          if p.get_content_type() == 'message/rfc822':
              inner = p.get_payload()[0]
              put('returned.subject', inner['subject'])
              put('returned.body', inner.get_payload(decode=True).decode('utf-8', 'replace'))
          else:
              put('returned.text', p.get_payload(decode=True).decode('utf-8', 'replace'))
      for k, v in out.items():
          print(k + '=' + v.replace('\\\\', '\\\\\\\\').replace('\\n', '\\\\n'))
      """;

  private PythonEmail() {}

  static Map<String, String> parse(byte[] message) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("python3", "-c", SCRIPT);
    // Raw 8-bit header bytes come back as they were (RFC 6532 UTF-8 headers).
    pb.environment().put("PYTHONIOENCODING", "utf-8:surrogateescape");
    Process p = pb.start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return p.getErrorStream().readAllBytes();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    try (OutputStream in = p.getOutputStream()) {
      in.write(message);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("python3 did not finish");
    }
    assertEquals(0, p.exitValue(), () -> new String(err.join(), StandardCharsets.UTF_8));
    Map<String, String> fields = new HashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
      }
    }
    return fields;
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(n == 'n' ? '\n' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
