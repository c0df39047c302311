#!/usr/bin/env bash
# bench-relay.sh - the remote delivery issue's benchmark: smtp-source sends M 1 KB messages
# over S sessions into the Postern daemon, which relays them (relayhost) to an smtp-sink on
# another loopback port; prints messages/s end to end (until the queue is empty and the
# sink has counted them), the number of connections the sink saw, and the daemon's CPU
# seconds per message. With Postfix installed and running as root, the same load goes
# through a throw-away Postfix instance relaying to the same kind of sink, side by side.
#
# Environment: M (5000), SESSIONS ("20"), REPS (3). Loopback addresses only.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib-postfix.sh"
M=${M:-5000}
SESSIONS=${SESSIONS:-20}
REPS=${REPS:-3}
SOURCE=${SMTP_SOURCE:-/usr/sbin/smtp-source}
SINK=${SMTP_SINK:-/usr/sbin/smtp-sink}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench-relay.XXXXXX")
chmod 755 "$w"
pids=()
cleanup() {
    "$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1 || true
    [ -d "$w/pf" ] && postfix -c "$w/pf/etc" stop > /dev/null 2>&1 || true
    for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
    rm -rf "$w"
}
trap cleanup EXIT
now() { date +%s.%N; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{printf "%.0f", n/(b-a)}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
[ -x "$SOURCE" ] && [ -x "$SINK" ] || { echo "needs smtp-source and smtp-sink (apt-get install postfix)"; exit 2; }

# start_sink PORT: an smtp-sink counting sessions and messages (-c prints counts on exit).
start_sink() {
    local user=()
    [ "$(id -u)" -eq 0 ] && user=(-u nobody)
    "$SINK" "${user[@]}" -c 127.0.0.1:"$1" 1000 > "$w/sink.out" 2>&1 &
    pids+=($!)
    SINK_PID=$!
    sleep 0.3
}
stop_sink() { kill "$SINK_PID" 2> /dev/null; wait "$SINK_PID" 2> /dev/null || true; }

postern_queue() { find "$w/i/queue/maildrop" "$w/i/queue/incoming" "$w/i/queue/active" -type f | wc -l; }

echo "machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); M=$M SESSIONS=$SESSIONS"

# --- Postern
sinkport=$(port); inport=$(port)
"$top/bin/postern" init "$w/i" > /dev/null
cat >> "$w/i/main.cf" <<EOF
smtpd_listen = 127.0.0.1:$inport
relayhost = [127.0.0.1]:$sinkport
smtp_tls_security_level = none
smtpd_peername_lookup = no
default_process_limit = 200
smtpd_client_connection_count_limit = 0
EOF
for s in $SESSIONS; do
    for r in $(seq "$REPS"); do
        start_sink "$sinkport"
        "$top/bin/postern" -C "$w/i" start 2> /dev/null
        pid=$(tr -d " \n" < "$w/i/queue/pid/master.pid")
        c0=$(cpu_ticks "$pid")
        t0=$(now)
        "$SOURCE" -s "$s" -l 1024 -m "$M" -f a@anchor.example -t x@sink.example 127.0.0.1:"$inport"
        t1=$(now)
        for _ in $(seq 6000); do [ "$(postern_queue)" -eq 0 ] && break; sleep 0.05; done
        t2=$(now)
        c1=$(cpu_ticks "$pid")
        deferred=$(find "$w/i/queue/deferred" -type f | wc -l)
        "$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1
        stop_sink
        echo "RESULT postern s=$s run $r: ingest $(rate "$M" "$t0" "$t1") msg/s, end to end" \
             "$(rate "$M" "$t0" "$t2") msg/s, deferred $deferred," \
             "daemon CPU $(awk -v t=$((c1 - c0)) -v n="$M" -v hz="$(getconf CLK_TCK)" \
                 'BEGIN{printf "%.2f", t / hz / n * 1000}') ms/msg; sink: $(tr "\r" "\n" < "$w/sink.out" | tail -1)"
    done
done

# --- Postfix, side by side (a private instance; needs root and the postfix package)
sinkport=$(port); pfport=$(port)
if ! postfix_instance "$w/pf" "$pfport" 200 "relayhost = [127.0.0.1]:$sinkport" \
        'smtp_tls_security_level = none'; then
    echo "Postfix side skipped: $PF_WHY"
    exit 0
fi
sleep 1
pf_queue() { find "$w/pf/spool/maildrop" "$w/pf/spool/incoming" "$w/pf/spool/active" -type f 2> /dev/null | wc -l; }
for s in $SESSIONS; do
    for r in $(seq "$REPS"); do
        start_sink "$sinkport"
        t0=$(now)
        "$SOURCE" -s "$s" -l 1024 -m "$M" -f a@anchor.example -t x@sink.example 127.0.0.1:"$pfport"
        t1=$(now)
        for _ in $(seq 6000); do [ "$(pf_queue)" -eq 0 ] && break; sleep 0.05; done
        t2=$(now)
        stop_sink
        echo "RESULT postfix s=$s run $r: ingest $(rate "$M" "$t0" "$t1") msg/s, end to end" \
             "$(rate "$M" "$t0" "$t2") msg/s; sink: $(tr "\r" "\n" < "$w/sink.out" | tail -1)"
    done
done
