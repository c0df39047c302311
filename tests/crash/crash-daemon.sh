#!/usr/bin/env bash
# crash-daemon.sh - the queue daemon's crash test: CLIENTS submitters send numbered messages
# continuously (bin/sendmail, loopback only) while the daemon is killed with SIGKILL at
# random intervals KILLS times and restarted; then the daemon drains the queue. Every
# message whose sendmail exited 0 must be in the mailbox exactly once, or twice for at most
# one message per kill (a delivery done but not yet recorded when the kill came). Prints the
# counts and exits 1 if the rule is broken.
#
# Environment: KILLS (20), CLIENTS (4), MIN_MS/MAX_MS (400/1500: time between kills),
# KEEP=1 keeps the work directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
KILLS=${KILLS:-20}
CLIENTS=${CLIENTS:-4}
MIN_MS=${MIN_MS:-400}
MAX_MS=${MAX_MS:-1500}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-crash.XXXXXX")
inst=$w/inst
stop_all() {
    [ -f "$w/stop" ] || touch "$w/stop"
    wait 2> /dev/null || true
    "$top/bin/postern" -C "$inst" stop > /dev/null 2>&1 || true
    [ -n "${KEEP:-}" ] || rm -rf "$w"
}
trap stop_all EXIT
"$top/bin/postern" init "$inst" --user alice > /dev/null
printf "queue_run_delay = 1s\nminimal_backoff_time = 1s\nmaximal_backoff_time = 2s\n" >> "$inst/main.cf"
"$top/bin/postern" -C "$inst" start 2> /dev/null

client() { # N: sends crash-N-i until $w/stop exists; records acknowledged ids
    local n=$1 i=0
    while [ ! -f "$w/stop" ]; do
        i=$((i + 1))
        if printf 'Subject: crash-%d-%d\n\nbody %d %d\n' "$n" "$i" "$n" "$i" \
            | "$top/bin/sendmail" -C "$inst" -odq -i alice 2> /dev/null; then
            echo "crash-$n-$i" >> "$w/acked.$n"
        fi
    done
}
for n in $(seq "$CLIENTS"); do client "$n" & done

for k in $(seq "$KILLS"); do
    sleep "$(awk -v a="$MIN_MS" -v b="$MAX_MS" -v s="$RANDOM" 'BEGIN{srand(s); printf "%.3f", (a + rand() * (b - a)) / 1000}')"
    pid=$(tr -d ' \n' < "$inst/queue/pid/master.pid" 2> /dev/null || true)
    [ -n "$pid" ] && kill -9 "$pid" 2> /dev/null || true
    while kill -0 "$pid" 2> /dev/null; do sleep 0.05; done
    "$top/bin/postern" -C "$inst" start 2> /dev/null || true
done
touch "$w/stop"
wait
# Drain: the daemon delivers what is left; wait until the queue is empty.
for _ in $(seq 300); do
    left=$(find "$inst/queue/maildrop" "$inst/queue/incoming" "$inst/queue/active" \
        "$inst/queue/deferred" -type f | wc -l)
    [ "$left" -eq 0 ] && break
    sleep 0.2
done
acked=$(cat "$w"/acked.* | sort)
grep -a '^Subject: crash-' "$inst/mail/alice" | sed 's/^Subject: //' | sort | uniq -c \
    | awk '{print $2, $1}' > "$w/delivered"
total_acked=$(printf '%s\n' "$acked" | grep -c . || true)
missing=$(printf '%s\n' "$acked" | join -v1 - <(cut -d' ' -f1 "$w/delivered") | grep -c . || true)
twice=$(awk '$2 == 2' "$w/delivered" | wc -l)
more=$(awk '$2 > 2' "$w/delivered" | wc -l)
delivered=$(awk '{s += $2} END{print s + 0}' "$w/delivered")
corrupt=$(find "$inst/queue/corrupt" -type f | wc -l)
deferrals=$(grep -c 'status=deferred' "$inst/log/maillog" || true)
echo "crash test: $KILLS kills, $CLIENTS clients: $total_acked acknowledged, $delivered" \
     "delivered, $missing lost, $twice delivered twice, $more more than twice," \
     "$corrupt in corrupt/, $left left in the queue ($deferrals deferrals on the way)"
if [ "$missing" -ne 0 ] || [ "$more" -ne 0 ] || [ "$twice" -gt "$KILLS" ] || [ "$left" -ne 0 ]; then
    echo "crash test: FAILED" >&2
    exit 1
fi
echo "crash test: passed"
