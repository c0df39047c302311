package org.postern.engine.local.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one compound value both directions of the local delivery protocol carry: a counted
 * list of strings (destination keys). Counts are bounded by the caller. Stateless.
 */
final class Wire {
  private Wire() {}

  static void writeStrings(DataOutputStream out, Collection<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) {
      out.writeUTF(s);
    }
  }

  static Set<String> readStrings(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new ProtocolException("bad count " + n);
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }
}
