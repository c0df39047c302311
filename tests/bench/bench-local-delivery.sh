#!/usr/bin/env bash
# bench-local-delivery.sh - local delivery throughput: N queued 1 KB messages (sendmail
# -odq, PAR parallel submitters) to 4 mailboxes, then one foreground `sendmail -q`.
# Prints submission msgs/s and delivery msgs/s of the queue run, and checks that every
# message reached an mbox exactly once.
#
# Environment: N (1000), PAR (2), REPS (1), LOCAL_SERVICE (no; yes: the queue run hands
# every delivery to `postern local` over its UNIX socket, as the packaged system does).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-1000}
PAR=${PAR:-2}
REPS=${REPS:-1}
LOCAL_SERVICE=${LOCAL_SERVICE:-no}
users=(u0 u1 u2 u3)
now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{printf "%.1f", n/(b-a)}'; }
for rep in $(seq "$REPS"); do
    w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench.XXXXXX")
    "$top/bin/postern" init "$w/i" --user u0 --user u1 --user u2 --user u3
    { printf 'From: bench@example.org\nSubject: bench 1 KB\n\n'; for i in $(seq 16); do printf '%063d\n' "$i"; done; } > "$w/1k.msg"
    if [ "$LOCAL_SERVICE" = yes ]; then
        echo "local_delivery_service = yes" >> "$w/i/main.cf"
        "$top/bin/postern" -C "$w/i" local & lpid=$!
        for _ in $(seq 100); do [ -S "$w/i/queue/private/local" ] && break; sleep 0.1; done
    fi
    t0=$(now)
    submitters=()
    for p in $(seq 0 $((PAR - 1))); do
        ( for ((i = p; i < N; i += PAR)); do
              "$top/bin/sendmail" -C "$w/i" -odq -i "${users[$((i % 4))]}" < "$w/1k.msg"
          done ) &
        submitters+=($!)
    done
    wait "${submitters[@]}"
    t1=$(now)
    "$top/bin/sendmail" -C "$w/i" -q
    t2=$(now)
    got=0
    for u in "${users[@]}"; do got=$((got + $(grep -c '^From ' "$w/i/mail/$u"))); done
    echo "run $rep: submitted $N in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')s ($(rate "$N" "$t0" "$t1") msg/s, PAR=$PAR);" \
         "delivered $got in $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", b-a}')s ($(rate "$got" "$t1" "$t2") msg/s)"
    [ "$got" -eq "$N" ] || echo "run $rep: MISMATCH: $got of $N delivered" >&2
    if [ "$LOCAL_SERVICE" = yes ]; then kill "$lpid"; wait "$lpid" || true; fi
    rm -rf "$w"
done
