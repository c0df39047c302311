#!/usr/bin/env bash
# bench-mailq.sh - queue listings with many messages queued, Postern and Postfix side by side
# in one run (issue 16): at each level in LEVELS, with that many messages on hold in both,
#   postern: `bin/mailq | tail -1`, `bin/postern queue --json | wc -l` and `bin/postern queue
#            | tail -1` (the native front when built, answered by the daemon, else the JVM
#            command, which asks the daemon; --json through the JVM command too, and the
#            daemon's side of --json alone, a python3 showq PRINT client), the daemon's
#            answer through a python3 protocol-2 client (tests/helpers/submit2.py, as the
#            native front asks it), the daemon's side alone (one python3 process timing RUNS requests), and the
#            JVM command reading the files with the daemon stopped;
#   postfix: `mailq | tail -1` and `postqueue -j | wc -l` (a private instance, lib-postfix.sh).
# Postern's daemon answers five listings before it is measured (so its JIT has compiled the
# listing path, as in a daemon that has been up a while).
# Postern's queue: one real message, deferred by a relayhost on a closed loopback port, copied
# under new ids into hold/ with its status sidecar (valid queue files, as the engine wrote
# them; nothing is retried while the benchmark runs). Postfix's: smtp-source into an smtpd
# that holds everything (the shared bench-mailq.sh's way). Postfix needs root and the postfix
# package; without them only Postern is measured.
#
# Environment: LEVELS ("10000 50000"), RUNS (10), WARMUP (2), PF_PORT (2527),
#   FILL_SESSIONS (20).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/bench/lib-postfix.sh"
LEVELS=${LEVELS:-"10000 50000"}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
PF_PORT=${PF_PORT:-2527}
FILL_SESSIONS=${FILL_SESSIONS:-20}
client=$top/tests/helpers/submit2.py
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench-mailq.XXXXXX")
chmod 755 "$w" # Postfix's daemons run as postfix
pf=
cleanup() {
    "$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1 || true
    [ -n "$pf" ] && postfix -c "$pf/etc" stop > /dev/null 2>&1 || true
    rm -rf "$w"
}
trap cleanup EXIT

# hyperfine one shell command line; prints "LABEL  median (min, max) ms, cpu (user+sys of
# the command's processes, mean; not the daemon's)  $ command line".
measure() { # label command
    hyperfine --style none -w "$WARMUP" -r "$RUNS" --export-json "$w/h.json" "$2" \
        > /dev/null 2> "$w/h.err"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]
print("%-34s %8.1f ms median (min %.1f, max %.1f, n=%d), cpu %.1f ms   $ %s" % (sys.argv[2],
    r["median"]*1000, r["min"]*1000, r["max"]*1000, len(r["times"]),
    (r["user"] + r["system"])*1000, sys.argv[3]))' "$w/h.json" "$1" "$2"
}

# The daemon's side alone: RUNS listings from one python3 process (no interpreter start).
daemon_side() { # label args...
    local label=$1; shift
    python3 "$top/tests/bench/time-socket.py" "$w/i/queue/public/submit" "$RUNS" "$label" submit "$@"
}

# The daemon's side of postern queue --json alone: RUNS showq PRINT requests (JSON lines).
showq_side() { # label
    python3 "$top/tests/bench/time-socket.py" "$w/i/queue/public/showq" "$RUNS" "$1" showq-json
}

echo "machine: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "bin/sendmail: $(head -c 4 "$top/bin/sendmail" | od -An -c | tr -d ' ')... ($(file -b "$top/bin/sendmail" | cut -d, -f1))"

# Postern: an instance whose remote mail is deferred (nothing listens on port 1).
"$top/bin/postern" init "$w/i" > /dev/null
printf 'queue_run_delay = 1h\nrelayhost = [127.0.0.1]:1\n' >> "$w/i/main.cf"
printf 'Subject: waiting\n\n%01000d\n' 0 | "$top/bin/sendmail" -C "$w/i" -odq -i u9@unreachable.example
"$top/bin/sendmail" -C "$w/i" -q
tmpl=$(ls "$w/i/queue/deferred")
if [ -z "$tmpl" ]; then
    echo "bench-mailq.sh: the template message was not deferred; see $w/i/log" >&2
    exit 1
fi
mv "$w/i/queue/deferred/$tmpl" "$w/i/queue/hold/$tmpl"

# Postfix: a private instance whose smtpd holds everything.
if postfix_instance "$w/pf" "$PF_PORT" "$FILL_SESSIONS" \
    'smtpd_client_restrictions = check_client_access static:HOLD' 'local_recipient_maps ='; then
    pf=$w/pf
    echo "postfix: $(postconf -d mail_version | cut -d' ' -f3), private instance in $pf"
else
    echo "postfix: not measured ($PF_WHY)"
fi

have=1
pf_have=0
for level in $LEVELS; do
    python3 "$top/tests/bench/fill-queue.py" "$w/i/queue" hold "$tmpl" "$have" "$level"
    have=$level
    echo
    echo "## $level queued (postern hold/: $(ls "$w/i/queue/hold" | wc -l))"
    if [ -n "$pf" ]; then
        timeout 900 smtp-source -s "$FILL_SESSIONS" -l 1024 -m $(( level - pf_have )) \
            -f a@anchor.example -t bench0@localhost "127.0.0.1:$PF_PORT"
        for _ in $(seq 3000); do
            [ "$(find "$pf/spool/hold" -type f | wc -l)" -ge "$level" ] && break; sleep 0.2
        done
        pf_have=$level
        echo "postfix hold/: $(find "$pf/spool/hold" -type f | wc -l); mailq: $(mailq -C "$pf/etc" | tail -1)"
        measure "postfix mailq | tail -1" "mailq -C $pf/etc | tail -1"
        measure "postfix postqueue -j | wc -l" "postqueue -c $pf/etc -j | wc -l"
    fi
    "$top/bin/postern" -C "$w/i" start 2> /dev/null
    # A daemon that has answered a few listings (its JIT has compiled the listing path).
    for _ in 1 2 3 4 5; do python3 "$client" "$w/i/queue/public/submit" mailq -C "$w/i" > /dev/null; done
    echo "postern mailq: $("$top/bin/mailq" -C "$w/i" | tail -1 | tr -d '\t')"
    measure "postern mailq | tail -1" "$top/bin/mailq -C $w/i | tail -1"
    measure "postern queue --json | wc -l" "$top/bin/postern -C $w/i queue --json | wc -l"
    measure "postern queue | tail -1" "$top/bin/postern -C $w/i queue | tail -1"
    measure "postern queue --json, JVM command" \
        "POSTERN_SENDMAIL_JVM=1 $top/bin/postern -C $w/i queue --json | wc -l"
    measure "postern v2 client (python3)" "python3 $client $w/i/queue/public/submit mailq -C $w/i | tail -1"
    measure "  python3 start alone" "python3 -c pass"
    daemon_side "postern daemon side: mailq" -C "$w/i"
    daemon_side "postern daemon side: -bP" -C "$w/i" -bP
    showq_side "postern daemon side: queue --json"
    "$top/bin/postern" -C "$w/i" stop > /dev/null 2>&1
    measure "postern mailq, no daemon (files)" "$top/bin/mailq -C $w/i | tail -1"
done
