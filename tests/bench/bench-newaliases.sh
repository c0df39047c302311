#!/usr/bin/env bash
# bench-newaliases.sh - how long newaliases takes on big alias files, and where the time
# goes. Input: N lines `user{i}: u{i}@example.com, u{i}b` (N = 10000 and 100000 by default).
# For each size it prints:
#   - bin/newaliases -C INST -oAFILE as admins run it (launcher, class-data archive, JVM
#     flags included): wall time, best and median of RUNS runs (hyperfine, 1 warm-up);
#   - the JVM start-up floor: bin/postern -C INST config myhostname, the same launcher and
#     JVM flags doing almost nothing (reads main.cf, prints one value), so newaliases minus
#     this is the work itself;
#   - the in-process parse and build times (maps/.../aliases/AliasBench, test scope): the
#     first round (cold JIT, as in the command) and the best warm round;
#   - Postfix's postalias hash:FILE on the same file when /usr/sbin/postalias exists
#     (NO_POSTFIX=1 skips it). postalias is Berkeley DB hash; it does less checking.
#
# Environment: SIZES ("10000 100000"), RUNS (5). Runs `mvn -o` to build the jars and the
# benchmark driver first. Needs hyperfine and python3.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-5}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench-newaliases.XXXXXX")
trap 'rm -rf "$w"' EXIT

(cd "$top" && mvn -q -B -o package -DskipTests && mvn -q -B -o test-compile -pl maps \
    && mvn -q -B -o dependency:build-classpath -pl maps -Dmdep.outputFile="$w/cp.txt") >&2
cp="$top/maps/target/classes:$top/maps/target/test-classes:$(cat "$w/cp.txt")"
"$top/bin/postern" init "$w/inst" > /dev/null
echo "java: $(java -version 2>&1 | head -1); load: $(cut -d' ' -f1-3 /proc/loadavg);" \
    "cpus: $(nproc)"

# hyperfine_ms LABEL COMMAND: "LABEL: best X ms, median Y ms (RUNS runs)".
hyperfine_ms() {
    hyperfine --style none -N -w 1 -r "$RUNS" --export-json "$w/h.json" "$2" > /dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]
print("%s: best %.0f ms, median %.0f ms (%d runs)" % (sys.argv[2], min(r["times"])*1000,
      r["median"]*1000, len(r["times"])))' "$w/h.json" "$1"
}

hyperfine_ms "JVM floor (bin/postern config myhostname)" \
    "$top/bin/postern -C $w/inst config myhostname"

for n in $SIZES; do
    src=$w/aliases-$n
    awk -v n="$n" 'BEGIN{for(i=0;i<n;i++) printf "user%d: u%d@example.com, u%db\n", i, i, i}' \
        > "$src"
    echo "== $n aliases, $(stat -c %s "$src") bytes"
    "$top/bin/newaliases" -C "$w/inst" -oA"$src"
    echo "table: $(stat -c %s "$src.db") bytes"
    hyperfine_ms "bin/newaliases -oA" "$top/bin/newaliases -C $w/inst -oA$src"
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" org.postern.maps.aliases.AliasBench \
        "$src" 5
    if [ -x /usr/sbin/postalias ] && [ -z "${NO_POSTFIX:-}" ]; then
        cp "$src" "$w/pf-$n"
        hyperfine_ms "postfix postalias hash:" "/usr/sbin/postalias hash:$w/pf-$n"
    fi
done
