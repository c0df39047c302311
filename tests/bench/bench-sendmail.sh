#!/usr/bin/env bash
# bench-sendmail.sh - the way legacy scripts use sendmail, side by side with Postfix in one
# run: the wall time of one `sendmail -i USER < 1 KB message` with the daemon running
# (hyperfine median), then loops of N such calls, 1 and 4 in parallel, in messages/s until
# every message is in the mbox (each call's exit 0 means it was fsync'd in the queue).
# Postern: a fresh instance, its native front (bin/sendmail) and, for reference, the JVM
# path (POSTERN_SENDMAIL_JVM=1). Postfix: a private instance (lib-postfix.sh; root and the
# postfix package), its own sendmail/postdrop/pickup/local delivering to a spool under it.
#
# Environment: RUNS (50), WARMUP (5), N (100 per loop), REPS (3). Loopback only.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib-postfix.sh"
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}
N=${N:-100}
REPS=${REPS:-3}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench-sendmail.XXXXXX")
chmod 755 "$w"
cleanup() {
    "$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1 || true
    [ -d "$w/pf/etc" ] && postfix -c "$w/pf/etc" stop > /dev/null 2>&1 || true
    rm -rf "$w"
}
trap cleanup EXIT
command -v hyperfine > /dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 2; }
now() { date +%s.%N; }
{ printf 'From: bench@example.org\nSubject: bench 1 KB\n\n'; for i in $(seq 16); do printf '%063d\n' "$i"; done; } > "$w/1k.msg"
from_lines() { [ -f "$1" ] && grep -c '^From ' "$1" || echo 0; }

# median NAME COMMAND: hyperfine's median, min and max in ms (run through a shell for the
# redirection; hyperfine subtracts the shell's own start-up).
median() {
    hyperfine --style none -w "$WARMUP" -r "$RUNS" --export-json "$w/$1.json" "$2" > /dev/null
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%-34s median %6.2f ms  (min %.2f, max %.2f, n=%d)" % (sys.argv[2], r["median"]*1000, r["min"]*1000, r["max"]*1000, len(r["times"])))' "$w/$1.json" "$1"
}

# settle MBOX: waits until the earlier calls' messages stopped arriving (1 s unchanged).
settle() {
    local last=-1 n
    for _ in $(seq 120); do
        n=$(from_lines "$1")
        [ "$n" -eq "$last" ] && return 0
        last=$n
        sleep 1
    done
}

# loop NAME MBOX PAR COMMAND...: PAR loops of N calls each; messages/s until all arrived.
loop() {
    local name=$1 mbox=$2 par=$3
    shift 3
    local before t0 t1 want p
    settle "$mbox"
    before=$(from_lines "$mbox")
    want=$((before + par * N))
    t0=$(now)
    for p in $(seq "$par"); do
        ( for _ in $(seq "$N"); do "$@" < "$w/1k.msg" || echo "call failed" >&2; done ) &
    done
    wait
    for _ in $(seq 6000); do [ "$(from_lines "$mbox")" -ge "$want" ] && break; sleep 0.02; done
    t1=$(now)
    printf '%-34s %d x %d calls: %s msg/s (%d of %d delivered)\n' "$name" "$par" "$N" \
        "$(awk -v n=$((par * N)) -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", n/(b-a)}')" \
        $(($(from_lines "$mbox") - before)) $((par * N))
}

echo "machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"

# --- Postern
"$top/bin/postern" init "$w/i" --user bob > /dev/null
"$top/bin/postern" -C "$w/i" start 2> /dev/null
pm="$w/i/mail/bob"
median "postern sendmail (native front)" "$top/bin/sendmail -C $w/i -i bob < $w/1k.msg"
median "postern sendmail (JVM path)" \
    "POSTERN_SENDMAIL_JVM=1 $top/bin/sendmail -C $w/i -i bob < $w/1k.msg"
for r in $(seq "$REPS"); do
    loop "postern loop run $r" "$pm" 1 "$top/bin/sendmail" -C "$w/i" -i bob
    loop "postern loop run $r" "$pm" 4 "$top/bin/sendmail" -C "$w/i" -i bob
done

# --- Postfix, side by side (a private instance delivering to $w/pf/mail)
if id pfbench > /dev/null 2>&1 || useradd -M -s /usr/sbin/nologin pfbench 2> /dev/null; then :; fi
mkdir -p "$w/pf/mail" && chmod 1777 "$w/pf/mail"
if ! postfix_instance "$w/pf" "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')" 100 \
        "mail_spool_directory = $w/pf/mail" 'mailbox_command =' 'home_mailbox =' \
        'queue_run_delay = 300s'; then
    echo "Postfix side skipped: $PF_WHY"
    exit 0
fi
postfix -c "$w/pf/etc" set-permissions > /dev/null 2>&1 || true
sleep 1
fm="$w/pf/mail/pfbench"
median "postfix sendmail" "/usr/sbin/sendmail -C $w/pf/etc -i pfbench@localhost < $w/1k.msg"
for r in $(seq "$REPS"); do
    loop "postfix loop run $r" "$fm" 1 /usr/sbin/sendmail -C "$w/pf/etc" -i pfbench@localhost
    loop "postfix loop run $r" "$fm" 4 /usr/sbin/sendmail -C "$w/pf/etc" -i pfbench@localhost
done
