#!/usr/bin/env bash
# Root's local delivery must read a .forward (and write a /file) with the recipient's
# rights. Two ways, measured side by side (root only): switching the thread's filesystem
# identity in process (engine.posix.FsIdentity, what Postern does) and a helper process per
# delivery running as the user (setpriv ... cat, the cheapest helper there is; a JVM helper
# would add its start-up, ~100 ms).
#   tests/bench/bench-read-as-user.sh [N]        (default N=2000)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "bench-read-as-user: needs root" >&2; exit 1; }
n=${1:-2000}
[ -f compat/target/lib/postern-engine.jar ] || mvn -B -q package -DskipTests
dir=$(mktemp -d /tmp/bench-read-as-user.XXXXXX)
trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"
printf '\\nobody\n"|/usr/bin/procmail"\n' > "$dir/forward"
chown 65534:65534 "$dir/forward"
java -cp "compat/target/lib/*" tests/bench/ReadAsUser.java "$dir/forward" 65534 65534 "$n"
start=$(date +%s%N)
for _ in $(seq 1 "$n"); do
    setpriv --reuid=65534 --regid=65534 --clear-groups cat "$dir/forward" >/dev/null
done
end=$(date +%s%N)
awk -v t=$((end - start)) -v n="$n" \
    'BEGIN { printf "helper process (setpriv cat): %.1f us per read\n", t / 1000 / n }'
