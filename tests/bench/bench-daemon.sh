#!/usr/bin/env bash
# bench-daemon.sh - the queue daemon issue's benchmark, on this machine:
#  1. end-to-end loop rates: LOOPS parallel loops of `bin/sendmail -i uN` (N messages in all,
#     4 local mailboxes), with the daemon running (submission socket) and with it stopped
#     (maildrop + the background queue run each submission triggers); prints msgs/s until
#     the last message is in a mailbox, and the largest queue seen while the loops ran
#     (sampled every 0.2 s: "the queue never grows" means it stays near the loop count);
#  2. a queue of LEVEL deferred messages (copies of one real deferred queue file and its
#     status sidecar under new ids, which is how 50,000 messages fit in a benchmark):
#     `bin/mailq | tail -1` (hyperfine), daemon RSS once started on it, and the time from
#     `postern start` until a message submitted right then is in its mailbox.
# Postfix's figures for the same measurements are quoted in the issue (shared bench
# scripts); run those with postfix installed for a side-by-side.
#
# Environment: N (200), LOOPS ("1 4"), LEVELS ("10000 50000"), RUNS (5); an empty LOOPS or
# LEVELS skips that part.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-200}
LOOPS=${LOOPS-"1 4"}
LEVELS=${LEVELS-"10000 50000"}
RUNS=${RUNS:-5}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench-daemon.XXXXXX")
cleanup() { "$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1 || true; rm -rf "$w"; }
trap cleanup EXIT
now() { date +%s.%N; }
queued() { find "$1/queue/maildrop" "$1/queue/incoming" "$1/queue/active" -type f | wc -l; }
delivered() { cat "$1"/mail/u* 2> /dev/null | grep -c '^From ' || true; }

echo "machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in daemon maildrop; do
    for loops in $LOOPS; do
        rm -rf "$w/i"
        "$top/bin/postern" init "$w/i" --user u0 --user u1 --user u2 --user u3 > /dev/null
        [ "$mode" = daemon ] && "$top/bin/postern" -C "$w/i" start 2> /dev/null
        per=$(( N / loops )); total=$(( per * loops ))
        t0=$(now)
        for l in $(seq "$loops"); do
            ( for i in $(seq "$per"); do
                  printf 'Subject: loop %d %d\n\nbody\n' "$l" "$i" \
                      | "$top/bin/sendmail" -C "$w/i" -i "u$(( i % 4 ))"
              done ) &
        done
        max=0
        while [ "$(jobs -r | wc -l)" -gt 0 ]; do
            q=$(queued "$w/i"); [ "$q" -gt "$max" ] && max=$q
            sleep 0.2
        done
        t1=$(now)
        for _ in $(seq 3000); do [ "$(delivered "$w/i")" -ge "$total" ] && break; sleep 0.1; done
        t2=$(now)
        echo "$mode, $loops loop(s): $total messages submitted in" \
             "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')s, all delivered after" \
             "$(awk -v a="$t0" -v b="$t2" 'BEGIN{printf "%.1f", b-a}')s:" \
             "$(awk -v n="$total" -v a="$t0" -v b="$t2" 'BEGIN{printf "%.1f", n/(b-a)}') msg/s" \
             "end to end; largest queue during the loops: $max"
        "$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1 || true
    done
done

# A big queue: one real deferred message, copied under new ids.
[ -n "$LEVELS" ] || exit 0
rm -rf "$w/i"
"$top/bin/postern" init "$w/i" --user u0 > /dev/null
# Remote mail goes to a port where nothing listens, so it is deferred (connection refused)
# with or without DNS; a name that does not resolve would bounce and leave nothing deferred.
printf 'queue_run_delay = 1h\nrelayhost = [127.0.0.1]:1\n' >> "$w/i/main.cf"
printf 'Subject: waiting\n\n%01000d\n' 0 | "$top/bin/sendmail" -C "$w/i" -odq -i u9@unreachable.example
"$top/bin/sendmail" -C "$w/i" -q
tmpl=$(ls "$w/i/queue/deferred")
if [ -z "$tmpl" ]; then
    echo "bench-daemon.sh: the template message was not deferred; see $w/i/mail" >&2
    exit 1
fi
have=1
for level in $LEVELS; do
    python3 "$top/tests/bench/fill-queue.py" "$w/i/queue" deferred "$tmpl" "$have" "$level"
    have=$level
    echo "== $(ls "$w/i/queue/deferred" | wc -l) deferred messages"
    echo "mailq last line: $("$top/bin/mailq" -C "$w/i" | tail -1)"
    hyperfine --style none -w 1 -r "$RUNS" --export-json "$w/mq.json" \
        "$top/bin/mailq -C $w/i | tail -1" > /dev/null 2>&1
    echo "mailq | tail -1: median $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f s (min %.2f)" % (r["median"], r["min"]))' "$w/mq.json")"
    t0=$(now)
    "$top/bin/postern" -C "$w/i" start 2> /dev/null
    printf 'Subject: after restart\n\nx\n' | "$top/bin/sendmail" -C "$w/i" -i u0
    for _ in $(seq 600); do [ -s "$w/i/mail/u0" ] && break; sleep 0.05; done
    t1=$(now)
    sleep 3
    pid=$(tr -d ' \n' < "$w/i/queue/pid/master.pid")
    echo "start with $level queued until a new message is delivered:" \
         "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')s;" \
         "daemon RSS $(awk '/VmRSS/{printf "%.0f MB", $2/1024}' "/proc/$pid/status")," \
         "peak $(awk '/VmHWM/{printf "%.0f MB", $2/1024}' "/proc/$pid/status")"
    "$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1
    : > "$w/i/mail/u0"
done
