#!/usr/bin/env bash
# bench-maps.sh - the Tables issue's benchmark of compiled hash: tables (MapDB SortedTableMap)
# on its generated input: N lines `user{i}@dom{i%97}.example value{i}`.
# Prints compile wall time and peak RSS (/usr/bin/time -v), the in-process parse and build
# times, file size, one-shot `postmap -q`-like lookup wall time, bulk lookups/s from stdin
# (like `postmap -q -`), and warm in-process lookups/s (single thread, best of 5 rounds of N
# random present keys after a warm-up round; also per CPU-second, which a loaded machine
# disturbs less).
#
# Environment: N (1000000), BULK (100000), REPS (1), BUILD_OPTS (the heap the postmap
# launcher should pass). Runs `mvn -o` in the maps module to compile the driver.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-1000000}
BULK=${BULK:-100000}
REPS=${REPS:-1}
BUILD_OPTS=${BUILD_OPTS:-"-Xmx224m -Xmn32m -XX:+UseSerialGC"}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench-maps.XXXXXX")
trap 'rm -rf "$w"' EXIT

(cd "$top" && mvn -q -B -o test-compile -pl maps -am \
    && mvn -q -B -o dependency:build-classpath -pl maps -Dmdep.outputFile="$w/cp.txt") >&2
cp="$top/maps/target/classes:$top/maps/target/test-classes:$(cat "$w/cp.txt")"
main=org.postern.maps.hash.HashTableBench

awk -v n="$N" 'BEGIN{for(i=0;i<n;i++) printf "user%d@dom%d.example value%d\n", i, i%97, i}' \
    > "$w/source"
awk -v n="$N" -v b="$BULK" 'BEGIN{srand(1); for(j=0;j<b;j++){i=int(rand()*n);
    printf "user%d@dom%d.example\n", i, i%97}}' > "$w/keys"
echo "input: $N lines, $(stat -c %s "$w/source") bytes; load: $(cut -d' ' -f1-3 /proc/loadavg)"

for rep in $(seq "$REPS"); do
    rm -f "$w/source.db"
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$w/time" java $BUILD_OPTS -cp "$cp" $main build "$w/source" "$w/source.db" \
        2> "$w/build.err"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$w/time")
    rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$w/time")
    echo "run $rep: compile wall=$wall peak_rss_kb=$rss $(cat "$w/build.err") (java $BUILD_OPTS)"
    t0=$(date +%s%N)
    value=$(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" $main query "$w/source.db" \
        "user4242@dom$((4242 % 97)).example")
    t1=$(date +%s%N)
    echo "run $rep: one-shot query ${value} in $(( (t1 - t0) / 1000000 )) ms (JVM start included)"
    t0=$(date +%s%N)
    found=$(java -XX:+UseSerialGC -cp "$cp" $main bulk "$w/source.db" < "$w/keys" 2> "$w/bulk.err" \
        | wc -l)
    t1=$(date +%s%N)
    echo "run $rep: bulk $found/$BULK found, $(awk -v k="$BULK" -v a="$t0" -v b="$t1" \
        'BEGIN{printf "%.0f", k/((b-a)/1e9)}') keys/s wall (JVM start included); $(cat "$w/bulk.err")"
    echo "run $rep: $(java -cp "$cp" $main warm "$w/source.db" "$N" 2>&1)"
done

# The product's own command, as admins run it (launcher, archive, heap flags included), and
# Postfix's postmap side by side when it is installed.
run_cli() { # label postmap-command
    local label=$1 pm=$2
    rm -f "$w/source.db"
    /usr/bin/time -v -o "$w/time" $pm "hash:$w/source" 2> /dev/null
    echo "$label: compile wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$w/time")" \
        "peak_rss_kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$w/time")" \
        "size=$(stat -c %s "$w/source.db")"
    hyperfine --style none -w 2 -r 15 --export-json "$w/q.json" \
        "$pm -q user4242@dom$((4242 % 97)).example hash:$w/source" > /dev/null 2>&1
    echo "$label: one-shot -q median $(python3 -c 'import json,sys; print("%.1f ms" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$w/q.json")"
    t0=$(date +%s%N)
    found=$($pm -q - "hash:$w/source" < "$w/keys" | wc -l)
    t1=$(date +%s%N)
    echo "$label: -q - $found/$BULK found in $(( (t1 - t0) / 1000000 )) ms"
}
run_cli "postern bin/postmap" "$top/bin/postmap"
if [ -x /usr/sbin/postmap ] && [ -z "${NO_POSTFIX:-}" ]; then
    run_cli "postfix postmap" /usr/sbin/postmap
fi
