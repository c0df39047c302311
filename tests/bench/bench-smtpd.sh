#!/usr/bin/env bash
# bench-smtpd.sh - the SMTP server issue's benchmark, side by side with Postfix on this machine.
#
#  mbox  smtp-source -s SESSIONS -m M -l SIZE (one connection per message) into the daemon,
#        to a local user, local mbox delivery running meanwhile as in production. Prints the
#        msg/s accepted (M over smtp-source's wall time; every 250 follows the fsync of the
#        queue file and of its directory entry) and the time until all M are in the mbox.
#        Each repetition measures Postern and then Postfix, back to back, with the load average.
#  idle  IDLE connections that each read the greeting, send EHLO and then sit idle; every one
#        must get its 220 and 250. Prints the daemon's VmRSS/VmHWM/threads while they are held
#        (Postfix: the summed PSS of its master and children, one smtpd process per session).
#
# Postern has no discard transport (only the access map's DISCARD, which queues nothing), so
# there is no discard mode: the measured path is the production one, into mbox.
#
# Postfix runs as a private instance (its own main.cf/master.cf, queue, data and mail
# directories under the scratch directory; no chroot; 127.0.0.1:PF_PORT; mail to root@localhost
# into its own mail_spool_directory), configured like the shared benchmark's (mydestination
# localhost, mynetworks 127.0.0.0/8, mbox delivery by local(8)). Starting it needs root and the
# postfix package; without them the Postfix lines say they were skipped.
#
# Usage: bench-smtpd.sh [mbox] [idle]      (default: both)
# Environment: M (5000), SESSIONS (20), SIZE (1024), REPS (3), IDLE (1000), HOLD (3 s held
#   before sampling), PORT (2625), PF_PORT (2626), WAIT_LIMIT (300 s per wait).
# Only loopback addresses are used. Everything it starts is stopped on exit.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib-postfix.sh"
M=${M:-5000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-1024}
REPS=${REPS:-3}
IDLE=${IDLE:-1000}
HOLD=${HOLD:-3}
PORT=${PORT:-2625}
PF_PORT=${PF_PORT:-2626}
WAIT_LIMIT=${WAIT_LIMIT:-300}
SMTP_SOURCE=${SMTP_SOURCE:-/usr/sbin/smtp-source}
MODES=("$@")
[ ${#MODES[@]} -gt 0 ] || MODES=(mbox idle)

w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench-smtpd.XXXXXX")
chmod 755 "$w"
pf_up=
cleanup() {
    exec 3>&- 2> /dev/null || true
    "$top/bin/postern" -C "$w/pt" stop > /dev/null 2>&1 || true
    [ -n "$pf_up" ] && postfix -c "$w/pf/etc" stop > /dev/null 2>&1
    rm -rf "$w"
}
trap cleanup EXIT

now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{printf "%.1f\n", n/(b-a)}'; }
froms() { if [ -f "$1" ]; then grep -c '^From ' "$1" || true; else echo 0; fi; }
# stats: numbers on stdin -> "median min max (n)"
stats() {
    sort -g | awk '{a[NR]=$1} END{if (!NR) {print "NA"; exit}
        m = NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2
        printf "%.1f %.1f %.1f (n=%d)\n", m, a[1], a[NR], NR}'
}
wait_for() { # CMD... : poll until it succeeds; 1 after WAIT_LIMIT seconds
    local i
    for ((i = 0; i < WAIT_LIMIT * 20; i++)); do "$@" && return 0; sleep 0.05; done
    return 1
}
have() { [ "$(froms "$1")" -ge "$2" ]; }

# A file descriptor per idle session, plus the daemon's own.
[ "$(ulimit -n)" -ge $((IDLE + 1000)) ] || ulimit -n $((IDLE + 1000)) 2> /dev/null ||
    echo "note: ulimit -n is $(ulimit -n); the idle mode may run out of descriptors"

# ---- Postern: an instance in the scratch directory, listening on 127.0.0.1:PORT.
"$top/bin/postern" init "$w/pt" --user bench > /dev/null
cat >> "$w/pt/main.cf" << EOF
smtpd_listen = 127.0.0.1:$PORT
default_process_limit = $((IDLE + 100))
smtpd_client_connection_count_limit = 0
EOF
"$top/bin/postern" -C "$w/pt" start 2> /dev/null
pt_pid=$(tr -d ' \n' < "$w/pt/queue/pid/master.pid")
pt_mbox=$w/pt/mail/bench

# ---- Postfix: a private instance on 127.0.0.1:PF_PORT.
mkdir -p "$w/pf/mail"
chmod 1777 "$w/pf/mail"
if postfix_instance "$w/pf" "$PF_PORT" $((IDLE + 100)) "mail_spool_directory = $w/pf/mail" \
        'mailbox_command =' 'home_mailbox =' 'biff = no'; then
    pf_up=1
    wait_for test -s "$w/pf/spool/pid/master.pid" || true
    sleep 1
else
    pf_why=$PF_WHY
fi
pf_mbox=$w/pf/mail/root

echo "machine: $(nproc) cpus, $(uname -r), Postern daemon pid $pt_pid," \
     "Postfix $( [ -n "$pf_up" ] && postconf -h mail_version || echo "skipped: $pf_why")"

# one_run NAME PORT RCPT MBOX REP: prints one RESULT line and appends the rate to $w/NAME.rates
one_run() {
    local name=$1 port=$2 rcpt=$3 mbox=$4 rep=$5 t0 t1 t2 got
    [ -f "$mbox" ] && : > "$mbox"
    t0=$(now)
    timeout "$WAIT_LIMIT" "$SMTP_SOURCE" -s "$SESSIONS" -m "$M" -l "$SIZE" -c \
        -f sender@bench.example -t "$rcpt" "127.0.0.1:$port" > /dev/null
    t1=$(now)
    if wait_for have "$mbox" "$M"; then
        t2=$(now)
        echo "RESULT mbox $name run=$rep s=$SESSIONS m=$M size=$SIZE:" \
             "$(rate "$M" "$t0" "$t1") msg/s accepted ($(secs "$t0" "$t1") s)," \
             "all $M in the mbox after $(secs "$t0" "$t2") s; load $(load)"
        rate "$M" "$t0" "$t1" >> "$w/$name.rates"
    else
        got=$(froms "$mbox")
        echo "RESULT mbox $name run=$rep: INCOMPLETE, $got of $M delivered after" \
             "${WAIT_LIMIT}s; load $(load)"
    fi
}

mbox_mode() {
    local rep
    # Warm-up (JIT, page cache, Postfix process pools), not counted.
    M=$((M / 5)) one_run warmup "$PORT" bench@localhost "$pt_mbox" 0 > /dev/null
    if [ -n "$pf_up" ]; then
        M=$((M / 5)) one_run warmup "$PF_PORT" root@localhost "$pf_mbox" 0 > /dev/null
    fi
    for rep in $(seq "$REPS"); do
        one_run postern "$PORT" bench@localhost "$pt_mbox" "$rep"
        if [ -n "$pf_up" ]; then
            one_run postfix "$PF_PORT" root@localhost "$pf_mbox" "$rep"
        else
            echo "RESULT mbox postfix run=$rep: skipped ($pf_why)"
        fi
    done
    echo "SUMMARY mbox postern s=$SESSIONS: msg/s accepted median/min/max" \
         "$(stats < "$w/postern.rates" 2> /dev/null || echo NA)"
    [ -n "$pf_up" ] && echo "SUMMARY mbox postfix s=$SESSIONS: msg/s accepted median/min/max" \
         "$(stats < "$w/postfix.rates" 2> /dev/null || echo NA)"
    return 0
}

# Opens IDLE sessions (greeting, EHLO) and holds them until its stdin closes.
cat > "$w/idle.py" << 'EOF'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
def reply(s):
    """Reads one SMTP reply (all its lines); returns its code or None."""
    buf = b""
    while True:
        while b"\n" not in buf:
            d = s.recv(4096)
            if not d:
                return None
            buf += d
        line, buf = buf.split(b"\n", 1)
        if line[3:4] != b"-":
            return line[:3]
socks, ok, t0 = [], 0, time.time()
for i in range(n):
    try:
        socks.append(socket.create_connection(("127.0.0.1", port), timeout=120))
    except OSError as e:
        print("connect %d failed: %s" % (i, e), file=sys.stderr)
        break
for s in socks:
    try:
        if reply(s) == b"220":
            s.sendall(b"EHLO idle.bench.example\r\n")
    except OSError:
        pass
for s in socks:
    try:
        ok += reply(s) == b"250"
    except OSError:
        pass
print("%d %d %.1f" % (len(socks), ok, time.time() - t0), flush=True)
sys.stdin.read()
for s in socks:
    s.close()
EOF

# idle_run NAME PORT: holds IDLE sessions and prints the memory of the server meanwhile
idle_run() {
    local name=$1 port=$2 fifo=$w/idle.fifo out=$w/idle.out conn ok took mem p
    rm -f "$fifo" "$out"
    mkfifo "$fifo"
    python3 "$w/idle.py" "$port" "$IDLE" < "$fifo" > "$out" &
    local py=$!
    exec 3> "$fifo"
    if ! wait_for test -s "$out"; then
        echo "RESULT idle $name: the sessions were not all answered within ${WAIT_LIMIT}s"
    else
        read -r conn ok took < "$out"
        sleep "$HOLD"
        if [ "$name" = postern ]; then
            mem=$(awk '/^VmRSS/{r=$2} /^VmHWM/{h=$2} /^Threads/{t=$2}
                END{printf "daemon VmRSS %.0f MB, VmHWM %.0f MB, %d threads", r/1024, h/1024, t}' \
                "/proc/$pt_pid/status")
        else
            local master pids
            master=$(tr -d ' \n' < "$w/pf/spool/pid/master.pid")
            pids="$master $(ps -o pid= --ppid "$master" | tr '\n' ' ')"
            mem=$(for p in $pids; do cat "/proc/$p/smaps_rollup" 2> /dev/null; done |
                awk -v n="$(wc -w <<< "$pids")" '/^Pss:/{s+=$2}
                    END{printf "master and %d children: PSS %.0f MB in all", n-1, s/1024}')
        fi
        echo "RESULT idle $name: $ok of $IDLE sessions got 220 and 250 (connected $conn in" \
             "${took}s); $mem; load $(load)"
    fi
    exec 3>&-
    wait "$py" || true
}

for mode in "${MODES[@]}"; do
    case $mode in
        mbox) mbox_mode ;;
        idle)
            idle_run postern "$PORT"
            if [ -n "$pf_up" ]; then
                idle_run postfix "$PF_PORT"
            else
                echo "RESULT idle postfix: skipped ($pf_why)"
            fi
            ;;
        *) echo "unknown mode $mode (mbox, idle)" >&2; exit 2 ;;
    esac
done
