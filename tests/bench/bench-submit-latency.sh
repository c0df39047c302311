#!/usr/bin/env bash
# bench-submit-latency.sh - median wall time of one submission, the way legacy scripts
# call sendmail once per message: `sendmail -C DIR -odq -i bob < 1 KB message`.
# Compares, when present, the Postfix sendmail of this machine (SENDMAIL_REF).
#
# Environment: RUNS (30), WARMUP (3), SENDMAIL_REF (/usr/sbin/sendmail if it is Postfix's).
# Prints hyperfine's summary per case (mean, min, max) and the median in ms.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench.XXXXXX")
trap 'rm -rf "$w"' EXIT
"$top/bin/postern" init "$w/i" --user bob
{ printf 'From: bench@example.org\nSubject: bench 1 KB\n\n'; for i in $(seq 16); do printf '%063d\n' "$i"; done; } > "$w/1k.msg"

median() { # hyperfine json -> median ms
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms median (min %.1f, max %.1f, n=%d)" % (r["median"]*1000, r["min"]*1000, r["max"]*1000, len(r["times"])))' "$1"
}
run() { # name command
    hyperfine --style none -w "$WARMUP" -r "$RUNS" --export-json "$w/$1.json" "$2" > /dev/null
    printf '%-28s %s\n' "$1" "$(median "$w/$1.json")"
}
run "true" "/bin/true"
run "postern (archive)" "$top/bin/sendmail -C $w/i -odq -i bob < $w/1k.msg"
POSTERN_NO_CDS=1 run "postern (no archive)" "$top/bin/sendmail -C $w/i -odq -i bob < $w/1k.msg"
for j in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -x "$j/bin/java" ] || continue
    JAVA_HOME=$j "$top/bin/lib/build-cds.sh" > /dev/null
    JAVA_HOME=$j run "postern ${j##*/}" "$top/bin/sendmail -C $w/i -odq -i bob < $w/1k.msg"
done
"$top/bin/lib/build-cds.sh" > /dev/null
REF=${SENDMAIL_REF:-/usr/sbin/sendmail}
if [ -x "$REF" ] && [ -x /usr/sbin/postconf ]; then
    run "postfix sendmail" "$REF -odq -i bob < $w/1k.msg"
fi
