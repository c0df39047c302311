#!/usr/bin/env bats
# Large messages over SMTP against the daemon with its packaged heap (-Xmx128m) and a
# message_size_limit of 30 MB, which made a 28 MiB message and a few concurrent ones more
# than that heap could hold while DATA was kept in memory (issue 14, item 7). DATA is
# streamed to the queue file now: one message near the limit and 20 concurrent ones are all
# accepted and delivered intact (read back with python3's mailbox), the daemon's memory is
# reported, and an oversized message is refused with 552 while it is read, leaving nothing
# in the queue.

load helpers/common

setup_file() { common_setup_file; }

setup() {
    common_setup
    PORT=$(free_port)
    set_param smtpd_listen "127.0.0.1:$PORT"
    set_param smtpd_peername_lookup no
    set_param smtpd_error_sleep_time 0
    set_param message_size_limit 30000000
    # The packaged heap: postern start passes it unless the environment names another.
    unset POSTERN_HEAP
    LIMIT=$("$BIN/postern" -C "$INST" config message_size_limit)
}

teardown() {
    "$BIN/postern" -C "$INST" stop > /dev/null 2>&1 || true
}

start_daemon() {
    "$BIN/postern" -C "$INST" start 2> /dev/null
    wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1).close()"
    DAEMON_PID=$(tr -d ' ' < "$INST/queue/pid/master.pid")
    # The daemon runs with the heap the package gives it.
    tr '\0' ' ' < "/proc/$DAEMON_PID/cmdline" | grep -q -- '-Xmx128m '
}

# load COUNT PERCENT SUBJECT: COUNT concurrent messages of PERCENT % of message_size_limit.
load_test() {
    "${POSTERN_PY:-python3}" "$POSTERN_ROOT/tests/helpers/smtp_load.py" "$PORT" "alice@$HOST" \
        "$1" $(( LIMIT * $2 / 100 )) "$3"
}

mail_count_is() { [ "$(mbox_count "$1")" -eq "$2" ]; }

# delivered_intact SENT: for every "SUBJECT SHA256 250 ..." line of the load's output,
# alice's mbox holds exactly one message of that Subject and body checksum.
delivered_intact() {
    local stored
    stored=$(mbox_sha256s alice)
    while read -r subject sha code _; do
        [ "$code" = 250 ] || { echo "$subject: $code" >&2; return 1; }
        [ "$(grep -c -x -F "$subject $sha" <<< "$stored")" -eq 1 ] \
            || { echo "$subject: body differs or is missing" >&2; return 1; }
    done < <(grep -v '^seconds ' <<< "$1")
}

memory_report() {
    echo "# $1: daemon $(grep -E '^(VmHWM|VmRSS)' "/proc/$DAEMON_PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')" >&3
}

@test "one message at 95 % of message_size_limit is accepted (250) and delivered intact" {
    start_daemon
    run load_test 1 95 near-limit
    assert_success
    assert_line --regexp '^near-limit-0 [0-9a-f]{64} 250 2\.0\.0 Ok: queued as [0-9A-Z]+$'
    echo "# 1 x 95 %: $(grep '^seconds' <<< "$output")" >&3
    sent=$output
    wait_for 30 mail_count_is alice 1
    delivered_intact "$sent"
    memory_report "1 x 95 %"
}

@test "20 concurrent messages at 25 % of message_size_limit are all accepted and delivered intact" {
    start_daemon
    run load_test 20 25 quarter
    assert_success
    assert_equal "$(grep -c -E '^quarter-[0-9]+ [0-9a-f]{64} 250 2\.0\.0 Ok: queued as [0-9A-Z]+$' <<< "$output")" 20
    echo "# 20 x 25 %: $(grep '^seconds' <<< "$output")" >&3
    memory_report "20 x 25 % accepted"
    sent=$output
    wait_for 60 mail_count_is alice 20
    delivered_intact "$sent"
    memory_report "20 x 25 % delivered"
}

@test "a message over message_size_limit gets 552 5.3.4 while streaming, nothing is queued, the daemon still answers" {
    start_daemon
    run load_test 1 110 too-big
    assert_success
    assert_line --regexp '^too-big-0 [0-9a-f]{64} 552 5\.3\.4 Error: message file too big$'
    # Nothing queued, and no temp file left behind anywhere in the queue.
    run find "$INST/queue/incoming" "$INST/queue/active" "$INST/queue/deferred" \
        "$INST/queue/hold" "$INST/queue/maildrop" -type f
    assert_output ''
    run load_test 1 1 after
    assert_line --regexp '^after-0 [0-9a-f]{64} 250 2\.0\.0 Ok: queued as [0-9A-Z]+$'
    sent=$output
    wait_for 10 mail_count_is alice 1
    delivered_intact "$sent"
    memory_report "after 110 %"
}

@test "smtpd_client_connection_count_limit sessions of a default message_size_limit message each are all accepted" {
    # The defaults (50 sessions, 10240000 bytes), each message 95 % of the limit at once: half
    # a gigabyte in flight through a 128 MB heap. To a remote address, so the queue keeps
    # them (the dead relayhost defers them) instead of appending half a gigabyte to an mbox.
    set_param message_size_limit "$("$BIN/postern" -C "$INST" config -d message_size_limit)"
    LIMIT=$("$BIN/postern" -C "$INST" config message_size_limit)
    sessions=$("$BIN/postern" -C "$INST" config smtpd_client_connection_count_limit)
    start_daemon
    run "${POSTERN_PY:-python3}" "$POSTERN_ROOT/tests/helpers/smtp_load.py" "$PORT" \
        someone@remote.example "$sessions" $(( LIMIT * 95 / 100 )) full
    assert_success
    assert_equal "$(grep -c -E '^full-[0-9]+ [0-9a-f]{64} 250 2\.0\.0 Ok: queued as [0-9A-Z]+$' <<< "$output")" "$sessions"
    echo "# $sessions x 95 % of $LIMIT: $(grep '^seconds' <<< "$output")" >&3
    memory_report "$sessions x 95 % accepted"
    wait_for 10 bash -c "[ \$(find '$INST/queue/incoming' '$INST/queue/active' '$INST/queue/deferred' -type f ! -name '.tmp.*' | wc -l) -eq $sessions ]"
}
