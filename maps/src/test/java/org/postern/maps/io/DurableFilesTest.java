package org.postern.maps.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
  @TempDir Path tmp;

  @Test
  void aTempFileNamesItsWriter() throws IOException {
    Path temp = DurableFiles.createTemp(tmp, "rw-------");

    assertEquals(OptionalLong.of(ProcessHandle.current().pid()),
        DurableFiles.writerPid(temp.getFileName().toString()));
  }

  @Test
  void aNameWithoutAWriterPidNamesNone() {
    for (String name : new String[] {".tmp.", ".tmp.x.1", ".tmp.12", ".tmp.-1.a", ".tmp.0.a",
        "0SCK3E20000A0001", ".tmp.99999999999999999999.a"}) {
      assertEquals(OptionalLong.empty(), DurableFiles.writerPid(name), name);
    }
  }
}
