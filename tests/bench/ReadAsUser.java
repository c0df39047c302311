// Reads one file N times with another user's filesystem identity, in process (engine.posix:
// setfsuid/setfsgid/setgroups per thread, open with O_NONBLOCK, fstat, read): prints the
// mean cost of one switch-open-read-restore in microseconds. Run by bench-read-as-user.sh.
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.EnumSet;
import org.postern.engine.posix.FsIdentity;
import org.postern.engine.posix.OpenFlag;
import org.postern.engine.posix.OpenedFile;
import org.postern.engine.posix.Posix;

public class ReadAsUser {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int uid = Integer.parseInt(args[1]);
    int gid = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    long bytes = 0;
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        try (FsIdentity as = FsIdentity.assume(uid, gid);
            OpenedFile f = Posix.open(file, EnumSet.of(OpenFlag.READ, OpenFlag.NONBLOCK), 0)) {
          bytes += Channels.newInputStream(f.channel()).readAllBytes().length;
        }
      }
      if (round == 1) {
        System.out.printf("in-process (FsIdentity): %.1f us per read as uid %d (%d bytes)%n",
            (System.nanoTime() - start) / 1000.0 / n, uid, bytes / n / 2);
      }
    }
  }
}
