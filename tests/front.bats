#!/usr/bin/env bats
# The native sendmail front (compat/src/main/c): hands submissions to the running daemon's
# socket under the kernel's uid, finds the instance as the JVM does, and runs the JVM command
# whenever the daemon cannot serve the call (daemon down, LOCAL, a version 1 or odd answer)
# but never after SEND. A stand-in socket (helpers/fake_submit.py) and a stand-in JVM
# command (FAKEBIN) pin the protocol and every fallback without a JVM.

load helpers/common

FRONT=${POSTERN_FRONT:-$POSTERN_ROOT/compat/target/native/sendmail}

setup_file() { common_setup_file; }

setup() {
    [ -x "$FRONT" ] || skip "the native front is not built (no C compiler?)"
    common_setup
    # A stand-in JVM command: says it ran, with its name and arguments, then copies stdin.
    FAKEBIN=$BATS_TEST_TMPDIR/fakebin
    mkdir -p "$FAKEBIN/lib"
    cat > "$FAKEBIN/lib/sendmail-jvm" <<'EOF'
#!/bin/sh
printf 'JVM %s:' "$POSTERN_ARGV0"; printf ' %s' "$@"; printf '\n'; cat
EOF
    chmod +x "$FAKEBIN/lib/sendmail-jvm"
    cp "$FAKEBIN/lib/sendmail-jvm" "$FAKEBIN/lib/postern-jvm"
    FAKE=$BATS_TEST_TMPDIR/fake
    mkdir -p "$FAKE" "$INST/queue/public"
}

teardown() {
    "$BIN/postern" -C "$INST" stop > /dev/null 2>&1 || true
    if [ -n "${FAKE_PID:-}" ]; then kill "$FAKE_PID" 2> /dev/null || true; fi
    if [ -n "${SHARED_DIR:-}" ]; then rm -rf "$SHARED_DIR"; fi
}

mail_count_is() { [ "$(mbox_count "$1")" -eq "$2" ]; }
daemon_pid() { tr -d ' ' < "$INST/queue/pid/master.pid"; }

# front ARGS...: the binary itself; a fallback runs the stand-in JVM command.
front() { POSTERN_BIN=$FAKEBIN "$FRONT" "$@"; }

# fake_daemon ANSWER [RESULT]: a stand-in daemon on INST's socket for one connection; it
# sends ANSWER (printf format) after the header, and RESULT after the data of a SEND.
fake_daemon() {
    if [ -n "${FAKE_PID:-}" ]; then kill "$FAKE_PID" 2> /dev/null || true; fi
    rm -f "$FAKE/ready" "$FAKE/header" "$FAKE/data" "$INST/queue/public/submit"
    printf "$1" > "$FAKE/answer"
    printf "${2:-}" > "$FAKE/result"
    "${POSTERN_PY:-python3}" "$POSTERN_ROOT/tests/helpers/fake_submit.py" \
        "$INST/queue/public/submit" "$FAKE" 3>&- &
    FAKE_PID=$!
    wait_for 10 test -e "$FAKE/ready"
}

# ---------------------------------------------------------------- the daemon serves

@test "the front hands a message to the running daemon, which queues it under the caller's uid" {
    pc start 2> /dev/null
    printf 'Subject: native\n\nhello\n' | write_msg
    run --separate-stderr env POSTERN_BIN=/nonexistent "$FRONT" -C "$INST" -i bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    assert_output ""
    wait_for 10 mail_count_is bob 1
    run mbox_body bob native
    assert_output hello
    grep -qE "postern/pickup\[$(daemon_pid)\]: [0-9A-Z]{16}: uid=$(id -u) from=<root@" "$INST/log/maillog"
}

@test "an ordinary user cannot submit as another through the front: the daemon takes the kernel's uid" {
    [ "$(id -u)" -eq 0 ] || skip "needs root to act as another user"
    SHARED_DIR=$(mktemp -d /tmp/postern-bats.XXXXXX)
    chmod 755 "$SHARED_DIR"
    INST=$SHARED_DIR/inst
    init_instance "$INST" --user alice --user bob
    pc start 2> /dev/null
    printf 'Subject: forged?\n\nx\n' \
        | (cd / && runuser -u nobody -- env POSTERN_BIN=/nonexistent "$FRONT" -C "$INST" -f alice bob)
    wait_for 10 mail_count_is bob 1
    grep -qE "postern/pickup\[$(daemon_pid)\]: [0-9A-Z]{16}: uid=65534 from=<alice@" "$INST/log/maillog"
    run mbox_header bob 'forged?' X-Authentication-Warning
    assert_output --regexp 'uid65534|nobody'
    assert_output --partial 'set sender to alice@'
}

@test "dead.letter with the daemon running: the refused message reaches ~/dead.letter through the helper" {
    pc start 2> /dev/null
    printf 'Subject: lost\n\nkeep me\n' | write_msg
    run --separate-stderr sm nosuchuser < "$MSG"
    assert_failure 67
    local dead=$INST/home/root/dead.letter
    assert_equal "$stderr" "nosuchuser... User unknown
$dead... Saved message in $dead"
    assert_equal "$(mbox_py count "$dead")" 1
    run mbox_py body "$dead" lost
    assert_output 'keep me'
}

@test "mailq with the daemon running prints what the JVM command prints" {
    # Deferred with a long retry delay: the daemon does not touch them between the listings.
    deferred_pair
    pc start 2> /dev/null
    run --separate-stderr mq
    local front_out=$output front_err=$stderr front_status=$status
    run --separate-stderr env POSTERN_SENDMAIL_JVM=1 "$BIN/mailq" -C "$INST"
    assert_equal "$front_status $front_out $front_err" "$status $output $stderr"
    assert_output --partial 'far@example.com'
}

# postern queue: bin/postern runs the front for the listing forms; pq_same ARGS... asserts
# that the front's call gives the status, stdout and stderr of the JVM command's.
printed() { grep -c 'postern queue: listing printed, exit' "$INST/log/maillog" || true; }
pq_same() {
    run --separate-stderr env POSTERN_SENDMAIL_JVM=1 "$BIN/postern" "$@"
    local jvm="$status|$output|$stderr"
    run --separate-stderr "$BIN/postern" "$@"
    assert_equal "$status|$output|$stderr" "$jvm"
}

@test "postern queue, --json, -v and its filters with the daemon running: the daemon's REPLY through the front, byte for byte the JVM command's" {
    deferred_pair
    pc start 2> /dev/null
    local -a cases=("" "--json" "-v" "list --json" "--to example.org" "--json --from <> --older-than 1h")
    local n
    for n in "${!cases[@]}"; do
        pq_same -C "$INST" queue ${cases[$n]}
        assert_success
    done
    run --separate-stderr "$BIN/postern" -C "$INST" queue --json
    [ "${#lines[@]}" -eq 2 ]
    assert_line --partial '"recipients":'
    POSTERN_CONFIG=$INST pq_same queue
    assert_line --index 0 "$(printf '\t\t%s/queue (2 requests)' "$INST")"
    # Each front call was the daemon's answer (the JVM command asks showq, which logs none).
    [ "$(printed)" -eq $(( ${#cases[@]} + 2 )) ]
}

@test "postern queue's usage errors and other actions through the launcher: LOCAL, so the JVM command answers as before" {
    deferred_pair
    pc start 2> /dev/null
    pq_same -C "$INST" queue --bogus
    assert_failure 64
    assert_equal "$stderr" "$(printf 'postern: queue: list: Unrecognized option: --bogus\n%s' \
        "usage: postern [-C config_dir] queue [list] [--json] [-v] [filters] | show ID | {hold|release|delete|requeue} [--dry-run] [filters] [ID...|-|ALL] | flush [DOMAIN]   (filters: --from ADDR --to ADDR --older-than DURATION)")"
    pq_same -C "$INST" queue list extra
    assert_failure 64
    pq_same -C "$INST" queue --older-than 5q
    assert_failure 64
    pq_same -C "$INST" queue show NOSUCHID
    assert_failure 1
    [ "$(printed)" -eq 0 ]
    run --separate-stderr pc config myhostname
    assert_success
    assert_output "$HOST"
}

@test "postern queue --json with the daemon stopped: the JVM command lists from the files" {
    deferred_pair
    [ ! -S "$INST/queue/public/submit" ]
    pq_same -C "$INST" queue --json
    assert_success
    [ "${#lines[@]}" -eq 2 ]
    pq_same -C "$INST" queue
    assert_success
    assert_line --index 0 "$(printf '\t\t%s/queue (2 requests)' "$INST")"
}

@test "postern queue through the daemon: a user authorized_mailq_users does not admit gets exit 77 and the JVM command's words" {
    [ "$(id -u)" -eq 0 ] || skip "needs root to act as another user"
    command -v setpriv > /dev/null || skip "setpriv is not installed"
    deferred_pair
    readable_by_all
    set_param authorized_mailq_users root
    pc start 2> /dev/null
    pq_same -C "$INST" queue --json # root: listed
    assert_success
    local as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    run --separate-stderr "${as_nobody[@]}" env POSTERN_SENDMAIL_JVM=1 "$BIN/postern" -C "$INST" queue --json
    assert_failure 77
    assert_equal "$stderr" "postern: queue: You are not permitted to see the queue"
    run --separate-stderr "${as_nobody[@]}" "$BIN/postern" -C "$INST" queue --json
    assert_failure 77
    assert_output ""
    assert_equal "$stderr" "postern: queue: You are not permitted to see the queue"
    [ "$(grep -c 'uid=65534: postern queue: listing refused' "$INST/log/maillog")" -eq 1 ]
}

@test "called as postern the front reads only [-C DIR] queue, and runs postern-jvm without sending data on any answer but REPLY" {
    pfront() { POSTERN_ARGV0=postern POSTERN_BIN=$FAKEBIN "$FRONT" "$@" < /dev/null; }
    fake_daemon 'REPLY\nOUT 7\nserved\nEXIT 0\n'
    run pfront -C "$INST" queue --json
    assert_output served
    assert_equal "$(od -An -c "$FAKE/header" | tr -s ' ')" \
        "$(printf 'POSTERN-SUBMIT 2\n4\n2\n-C%d\n%s5\nqueue6\n--json7\npostern0\n' \
            "${#INST}" "$INST" | od -An -c | tr -s ' ')"
    fake_daemon 'REPLY\nOUT 7\nserved\nEXIT 0\n'
    POSTERN_CONFIG=$INST run pfront queue
    assert_output served
    # A daemon that would take it for a submission (one before this rule): nothing is sent.
    fake_daemon 'SEND EOF\n' 'EXIT 0\n'
    run pfront -C "$INST" queue
    assert_output "JVM postern: -C $INST queue"
    [ ! -e "$FAKE/data" ]
    fake_daemon 'LOCAL\n'
    run pfront -C "$INST" queue show X
    assert_output "JVM postern: -C $INST queue show X"
    # What Commons CLI reads otherwise, or another verb: the JVM command.
    fake_daemon 'REPLY\nOUT 7\nserved\nEXIT 0\n'
    run pfront "-C$INST" queue
    assert_output "JVM postern: -C$INST queue"
    run pfront -C "$INST" config myhostname
    assert_output "JVM postern: -C $INST config myhostname"
    run pfront -- queue
    assert_output "JVM postern: -- queue"
    run env POSTERN_SENDMAIL_JVM=1 POSTERN_ARGV0=postern POSTERN_BIN="$FAKEBIN" "$FRONT" -C "$INST" queue
    assert_output "JVM postern: -C $INST queue"
}

# ---------------------------------------------------------------- fallbacks

@test "daemon down: the JVM command drops the message into maildrop/, delivered once the daemon starts" {
    printf 'Subject: dropped\n\nwhile stopped\n' | write_msg
    # -odq: no background queue run picks it up before the daemon does.
    run --separate-stderr sm -odq bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    [ "$(find "$INST/queue/maildrop" -type f -user "$(id -u)" | wc -l)" -eq 1 ]
    pc start 2> /dev/null
    wait_for 10 mail_count_is bob 1
    run mbox_body bob dropped
    assert_output 'while stopped'
}

@test "a LOCAL answer (-bv) runs the JVM command: the same output as without a daemon" {
    pc start 2> /dev/null
    run --separate-stderr sm -bv bob nosuchuser
    assert_output "$(printf 'bob... deliverable: mailer local, user bob\nnosuchuser... User unknown')"
}

@test "the daemon killed mid-message: exit 75 with one line on stderr, nothing delivered" {
    pc start 2> /dev/null
    local pid out=$BATS_TEST_TMPDIR/slow
    pid=$(daemon_pid)
    ( { printf 'Subject: half\n\n'; head -c 300000 /dev/zero | tr '\0' x; echo; sleep 3; echo end; } \
        | POSTERN_BIN=/nonexistent "$FRONT" -C "$INST" bob > "$out.out" 2> "$out.err" \
        && echo 0 > "$out.status" || echo $? > "$out.status" ) 3>&- &
    sleep 1
    kill -9 "$pid"
    wait_for 15 test -s "$out.status"
    assert_equal "$(cat "$out.status")" 75
    run cat "$out.err"
    assert_output --regexp '^sendmail: lost the connection to the mail daemon \((Broken pipe|Connection reset by peer)\); the message may not have been queued$'
    assert_equal "$(cat "$out.out")" ""
    pc start 2> /dev/null
    flush
    sleep 1
    assert_equal "$(mbox_count bob)" 0
}

@test "a version 1 daemon (ERROR on the new magic): the JVM command runs with argv and stdin untouched" {
    fake_daemon 'ERROR expected "POSTERN-SUBMIT 1", got "POSTERN-SUBMIT 2"\n'
    run --separate-stderr env NAME='Ann Example' TZ=UTC \
        POSTERN_BIN="$FAKEBIN" "$FRONT" -C "$INST" -i bob < <(printf 'Subject: s\n\nbody\n')
    assert_success
    assert_output "$(printf 'JVM sendmail: -C %s -i bob\nSubject: s\n\nbody' "$INST")"
    # The header as SubmitProtocol has it: argv without argv[0], the name, NAME and TZ only.
    assert_equal "$(od -An -c "$FAKE/header" | tr -s ' ')" \
        "$(printf 'POSTERN-SUBMIT 2\n4\n2\n-C%d\n%s2\n-i3\nbob8\nsendmail2\n16\nNAME=Ann Example6\nTZ=UTC' \
            "${#INST}" "$INST" | od -An -c | tr -s ' ')"
}

@test "an answer the front does not know, or a close before any answer: the JVM command runs" {
    fake_daemon 'HELLO 3\n'
    run front -C "$INST" bob < /dev/null
    assert_output 'JVM sendmail: -C '"$INST"' bob'
    fake_daemon ''
    run front -C "$INST" bob < /dev/null
    assert_output 'JVM sendmail: -C '"$INST"' bob'
}

@test "a REPLY is relayed whole (unknown records skipped, the exit code kept); one cut short runs the JVM command" {
    fake_daemon 'REPLY\nOUT 3\nok\nX-LATER 2\nzzERR 4\nerr\nEXIT 3\n'
    run --separate-stderr env POSTERN_ARGV0=/usr/bin/mailq POSTERN_BIN="$FAKEBIN" "$FRONT" -C "$INST"
    assert_failure 3
    assert_output ok
    assert_equal "$stderr" err
    grep -q 'mailq' "$FAKE/header"
    fake_daemon 'REPLY\nOUT 10\nabc'
    run --separate-stderr env POSTERN_ARGV0=mailq POSTERN_BIN="$FAKEBIN" "$FRONT" -C "$INST"
    assert_success
    assert_output "JVM mailq: -C $INST"
}

@test "SEND DOT streams stdin through the line holding only '.', then relays the result" {
    fake_daemon 'SEND DOT\n' 'OUT 6\nqueuedERR 5\nnote\nEXIT 0\n'
    run --separate-stderr front -C "$INST" bob < <(printf 'Subject: d\n\na\n.\n')
    assert_success
    assert_output queued
    assert_equal "$stderr" note
    assert_equal "$(cat "$FAKE/data")" "$(printf 'Subject: d\n\na\n.')"
}

@test "after SEND the front never falls back: a close, an ERROR or a bad record is exit 75" {
    fake_daemon 'SEND EOF\n' ''
    run --separate-stderr front -C "$INST" bob < <(printf 'x\n')
    assert_failure 75
    assert_output ""
    assert_equal "$stderr" 'sendmail: lost the connection to the mail daemon (connection closed); the message may not have been queued'
    fake_daemon 'SEND EOF\n' 'ERROR malformed chunk\n'
    run --separate-stderr front -C "$INST" bob < <(printf 'x\n')
    assert_failure 75
    assert_equal "$stderr" 'sendmail: lost the connection to the mail daemon (the mail daemon refused it: malformed chunk); the message may not have been queued'
    fake_daemon 'SEND EOF\n' 'OUT 99999999999\n'
    run --separate-stderr front -C "$INST" bob < <(printf 'x\n')
    assert_failure 75
    assert_equal "$stderr" 'sendmail: lost the connection to the mail daemon (bad record "OUT 99999999999"); the message may not have been queued'
}

# ---------------------------------------------------------------- finding the instance

# served ARGS...: the front reached the stand-in daemon of INST (else the JVM command ran).
served() {
    fake_daemon 'REPLY\nOUT 7\nserved\nEXIT 0\n'
    run front "$@" < /dev/null
    assert_success
    assert_output served
}

@test "the instance comes from -C DIR, -CDIR, -C DIR/main.cf, a relative -C, and POSTERN_CONFIG" {
    served -C "$INST" -bp
    served "-C$INST" -bp
    served -C "$INST/main.cf" -bp
    served -C "$INST/../inst/./" -bp
    cd "$BATS_TEST_TMPDIR"
    served -C inst -bp
    POSTERN_CONFIG=$INST served -bp
    # The last -C wins; -C outranks POSTERN_CONFIG.
    POSTERN_CONFIG=/nonexistent served -C /nonexistent -C "$INST" -bp
}

@test "-f -C: the -C is -f's value, as sendmail's getopt reads it (POSTERN_CONFIG chooses)" {
    POSTERN_CONFIG=$INST served -f -C bob
    # A bare -C (sendmail's obsolete form) is "-C.": here the current directory; -q does
    # not swallow it.
    cd "$INST"
    served -q -C
}

@test "main.cf: comments, continuation lines and \$name expansion of queue_directory" {
    sed -i '/^queue_directory/d' "$INST/main.cf"
    printf '# a comment\nqueue_directory =\n  # inside\n    $mail_spool_directory/../${queue_name}\n' >> "$INST/main.cf"
    printf 'queue_name = queue\n' >> "$INST/main.cf"
    # queue_name is no parameter: the JVM warns of it, so the JVM command runs.
    fake_daemon 'REPLY\nOUT 7\nserved\nEXIT 0\n'
    run front -C "$INST" -bp < /dev/null
    assert_output "JVM sendmail: -C $INST -bp"
    sed -i 's/\${queue_name}/queue/; /^queue_name/d' "$INST/main.cf"
    served -C "$INST" -bp
}

@test "what the front cannot resolve with certainty runs the JVM command" {
    fake_daemon 'REPLY\nOUT 7\nserved\nEXIT 0\n'
    run front -C "$INST" -Z bob < /dev/null   # a usage error: the JVM prints it
    assert_output "JVM sendmail: -C $INST -Z bob"
    printf 'queue_directory = /x/$myhostname\n' >> "$INST/main.cf"
    run front -C "$INST" bob < /dev/null       # needs the host name
    assert_output "JVM sendmail: -C $INST bob"
    run front -C "$BATS_TEST_TMPDIR/none" bob < /dev/null   # no main.cf: the JVM says so
    assert_output "JVM sendmail: -C $BATS_TEST_TMPDIR/none bob"
}

# ---------------------------------------------------------------- the launchers

@test "POSTERN_SENDMAIL_JVM=1 runs the JVM command, also when the binary is called itself" {
    fake_daemon 'REPLY\nOUT 7\nserved\nEXIT 0\n'
    run env POSTERN_SENDMAIL_JVM=1 POSTERN_BIN="$FAKEBIN" "$FRONT" -C "$INST" -bp < /dev/null
    assert_output "JVM sendmail: -C $INST -bp"
}

@test "bin/sendmail without the native binary runs the JVM command" {
    printf 'Subject: no front\n\nx\n' | POSTERN_FRONT=$BATS_TEST_TMPDIR/absent "$BIN/sendmail" -C "$INST" -odq bob
    [ "$(find "$INST/queue/maildrop" -type f | wc -l)" -eq 1 ]
    flush
    assert_equal "$(mbox_count bob)" 1
}
