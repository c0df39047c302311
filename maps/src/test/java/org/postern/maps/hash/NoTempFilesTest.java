package org.postern.maps.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root-run mail tool must not load code from a world-writable place: MapDB's lz4 1.3.0
 * extracted liblz4-java.so into java.io.tmpdir on every build and open. A fresh JVM with an
 * empty temp directory builds and queries a table; the directory must stay empty and MapDB's
 * hashing must be pure Java (lz4-pure-java carries no native library).
 */
class NoTempFilesTest {
  @Test
  void buildAndLookupCreateNothingInTheTempDirectory(@TempDir Path work) throws Exception {
    Path tmp = Files.createDirectory(work.resolve("tmp"));
    Path tables = Files.createDirectory(work.resolve("tables"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                TempDirProbe.class.getName(),
                tables.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("v "), out);
    assertTrue(out.strip().endsWith(" tmp=[]"), "temp files while running: " + out);
    assertFalse(out.contains("JNI"), "native xxhash in use: " + out);
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList());
    }
  }
}
