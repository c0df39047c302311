#!/usr/bin/env bash
# bench-front.sh - the native sendmail front against the JVM command, daemon running:
# hyperfine of `bin/sendmail -C DIR -i bob < 1 KB message` (native, POSTERN_SENDMAIL_JVM=1,
# and the binary itself without the bin/ wrapper), then loops of N calls, 1 and 4 in
# parallel, in messages per second; checks that every message was delivered.
#
# Environment: RUNS (50), WARMUP (5), N (100).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}
N=${N:-100}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench.XXXXXX")
trap '"$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1 || true; rm -rf "$w"' EXIT
"$top/bin/postern" init "$w/i" --user bob > /dev/null
{ printf 'From: bench@example.org\nSubject: bench 1 KB\n\n'; for i in $(seq 16); do printf '%063d\n' "$i"; done; } > "$w/1k.msg"
"$top/bin/postern" -C "$w/i" start 2> /dev/null

# hyperfine 1.15 has no --input: each case runs under sh -c, measured alone as "sh".
hyperfine -N --style none -w "$WARMUP" -r "$RUNS" --export-json "$w/h.json" \
    "sh -c 'exec true < $w/1k.msg'" \
    "sh -c 'exec $top/bin/sendmail -C $w/i -i bob < $w/1k.msg'" \
    "sh -c 'POSTERN_BIN=/nonexistent exec $top/compat/target/native/sendmail -C $w/i -i bob < $w/1k.msg'" \
    "sh -c 'POSTERN_SENDMAIL_JVM=1 exec $top/bin/sendmail -C $w/i -i bob < $w/1k.msg'" > /dev/null
python3 - "$w/h.json" << 'PY'
import json, sys
names = ["sh alone", "bin/sendmail (native front)", "the binary, no wrapper", "POSTERN_SENDMAIL_JVM=1"]
for name, r in zip(names, json.load(open(sys.argv[1]))["results"]):
    print("%-30s median %6.1f ms  (mean %.1f, min %.1f, max %.1f, n=%d)" % (name, r["median"] * 1000,
          r["mean"] * 1000, r["min"] * 1000, r["max"] * 1000, len(r["times"])))
PY

loop() { for _ in $(seq "$N"); do "$top/bin/sendmail" -C "$w/i" -i bob < "$w/1k.msg"; done; }
for p in 1 4; do
    t0=$(date +%s.%N)
    for _ in $(seq "$p"); do loop & done
    wait
    t1=$(date +%s.%N)
    python3 -c "import sys; n, s = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); print('loop of %d calls x %s in parallel: %.2f s, %.0f msg/s' % (n, sys.argv[4], s, n * int(sys.argv[4]) / s))" "$N" "$t0" "$t1" "$p"
done
want=$(( 3 * (WARMUP + RUNS) + 5 * N ))
for _ in $(seq 60); do
    got=$(grep -c '^From ' "$w/i/mail/bob" 2> /dev/null || true)
    [ "${got:-0}" -ge "$want" ] && break
    sleep 1
done
echo "delivered to bob: ${got:-0} of $want"
