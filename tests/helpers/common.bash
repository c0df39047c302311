# Shared set-up for the Bats suites: loads bats-support and bats-assert, makes a fresh
# Postern instance per test (bin/postern init, users alice and bob), and reads delivered
# mailboxes with python3's mailbox module (tests/helpers/mbox.py), never with grep alone.
#
# Each .bats file does:   load helpers/common
#                         setup_file() { common_setup_file; }
#                         setup() { common_setup; }

POSTERN_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BIN=$POSTERN_ROOT/bin
MBOX_PY=$POSTERN_ROOT/tests/helpers/mbox.py

_postern_load_lib() {
    local d
    for d in /usr/lib/bats /usr/lib /usr/local/lib/bats /usr/local/lib; do
        if [ -f "$d/$1/load.bash" ]; then
            load "$d/$1/load"
            return 0
        fi
    done
    echo "tests: $1 is not installed (apt-get install $1)" >&2
    return 1
}
_postern_load_lib bats-support
_postern_load_lib bats-assert
bats_require_minimum_version 1.5.0

# Once per file: the instance's host name (myhostname), exported as HOST, so tests can
# write fully qualified local addresses (alice@$HOST) and expected headers.
common_setup_file() {
    # The interpreter itself, not a version-manager shim (a shim costs ~0.3 s per call).
    POSTERN_PY=$(python3 -c 'import sys; print(sys.executable)')
    export POSTERN_PY
    local probe=$BATS_FILE_TMPDIR/probe
    "$BIN/postern" init "$probe" >/dev/null
    HOST=$("$BIN/postern" -C "$probe" config myhostname)
    export HOST
}

# Per test: a fresh instance INST with local users root (the invoking user), alice, bob.
# Remote mail goes to a loopback port where nothing listens (relayhost), so it is deferred
# the same way everywhere, with or without a DNS server: tests never reach the Internet.
DEAD_RELAY_TEXT='connect to 127.0.0.1[127.0.0.1]:1: Connection refused'
common_setup() {
    INST=$BATS_TEST_TMPDIR/inst
    MSG=$BATS_TEST_TMPDIR/msg
    init_instance "$INST" --user alice --user bob
}

# private_tmpdirs: .forward and :include: files are obeyed only in directories no one else
# may write (sendmail's safefile): keeps group/other write off the instance and the Bats temp
# directories whatever the caller's umask, touching nothing above Bats' run directory.
private_tmpdirs() {
    umask 022
    local d=$BATS_TEST_TMPDIR
    while [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do
        chmod go-w "$d"
        d=$(dirname "$d")
    done
}

# init_instance DIR [postern init options]: a test instance whose remote mail is deferred.
init_instance() {
    "$BIN/postern" init "$@" >/dev/null
    printf 'relayhost = [127.0.0.1]:1\n' >> "$1/main.cf"
}

# The commands, against INST.
sm() { "$BIN/sendmail" -C "$INST" "$@"; }
mq() { "$BIN/mailq" -C "$INST" "$@"; }
flush() { "$BIN/sendmail" -C "$INST" -q; }
pc() { "$BIN/postern" -C "$INST" "$@"; }

# set_param NAME VALUE: appends "NAME = VALUE" to INST's main.cf.
set_param() { printf '%s = %s\n' "$1" "$2" >> "$INST/main.cf"; }

# write_msg < text: stores the message to submit in $MSG.
write_msg() { cat > "$MSG"; }

mbox_path() { echo "$INST/mail/$1"; }

# mbox_py CMD PATH ARGS...: runs helpers/mbox.py (see there) on any mbox file.
mbox_py() { "${POSTERN_PY:-python3}" "$MBOX_PY" "$@"; }

# mbox_count USER: number of messages in USER's mailbox (0 when there is none).
mbox_count() { mbox_py count "$(mbox_path "$1")"; }

# mbox_check USER: envelope, Subject, From, To and the start of the body of each message.
mbox_check() { mbox_py summary "$(mbox_path "$1")"; }

# mbox_header USER SUBJECT NAME: every value of header NAME in the message with SUBJECT.
mbox_header() { mbox_py header "$(mbox_path "$1")" "$2" "$3"; }

# mbox_headers USER SUBJECT: the header names of that message in file order.
mbox_headers() { mbox_py headers "$(mbox_path "$1")" "$2"; }

# mbox_envelope USER SUBJECT: the From_ line after "From ".
mbox_envelope() { mbox_py envelope "$(mbox_path "$1")" "$2"; }

# mbox_body USER SUBJECT: the stored body, byte for byte.
mbox_body() { mbox_py body "$(mbox_path "$1")" "$2"; }

# mbox_sha256 USER SUBJECT: sha256 of the stored body.
mbox_sha256() { mbox_py sha256 "$(mbox_path "$1")" "$2"; }

# mbox_sha256s USER: "SUBJECT SHA256" of every message in the mailbox, read once.
mbox_sha256s() { mbox_py sha256s "$(mbox_path "$1")"; }

# mbox_report USER: report-type, recipients, actions and statuses of each DSN.
mbox_report() { mbox_py report "$(mbox_path "$1")"; }

# queue_total: N of mailq's "Total requests: N" trailer.
queue_total() { mq | sed -n 's/^\t\tTotal requests: //p'; }

# queue_files: number of files anywhere in INST's queue state directories.
queue_files() {
    find "$INST/queue/maildrop" "$INST/queue/incoming" "$INST/queue/active" \
        "$INST/queue/deferred" "$INST/queue/hold" -type f | wc -l
}

# ctime pattern of the mbox From_ line and of dead.letter: "Wed Nov 25 02:51:14 2026".
CTIME_RE='(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}'

# wait_for SECONDS COMMAND...: retries COMMAND every 0.2 s until it succeeds (its stderr
# hidden meanwhile), then runs it a last time for its status and output.
wait_for() {
    local limit=$(( $1 * 5 )) i
    shift
    for ((i = 0; i < limit; i++)); do
        "$@" 2> /dev/null && return 0
        sleep 0.2
    done
    "$@"
}

# deferred_pair: two messages deferred in the instance's queue (a relay nobody answers),
# one with a null sender and Precedence: bulk; the daemon, if started, logs at debug level.
deferred_pair() {
    set_param queue_run_delay 1h
    set_param maillog_debug yes
    printf 'Subject: one\n\nx\n' | write_msg
    sm -odq far@example.com other@example.net < "$MSG"
    printf 'Subject: two\nPrecedence: bulk\n\nx\n' | write_msg
    sm -odq -f '<>' far@example.org < "$MSG"
    flush
    [ "$(ls "$INST/queue/deferred" | wc -l)" -eq 2 ]
}

# readable_by_all: lets other users reach the instance and read its configuration (tests
# that act as another user with setpriv).
readable_by_all() {
    local d=$INST
    while [ "$d" != / ] && [ "$d" != /tmp ]; do chmod o+rx "$d"; d=$(dirname "$d"); done
    chmod o+r "$INST/main.cf" "$INST/users"
}

# free_port: a TCP port on 127.0.0.1 nobody listened on a moment ago.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# smtp_on_loopback: the daemon's SMTP on a free loopback port ($PORT), for clients treated as
# outsiders (mynetworks elsewhere), without DNS or refusal delays.
smtp_on_loopback() {
    PORT=$(free_port)
    set_param smtpd_listen "127.0.0.1:$PORT"
    set_param smtpd_peername_lookup no
    set_param mynetworks 10.9.9.0/24
    set_param smtpd_error_sleep_time 0
    set_param accept_unresolvable_domains yes
}
