#!/usr/bin/env bats
# The queue daemon (postern start|stop|status|reload|flush, sendmail -bd/-q30m): life cycle
# with Postfix's words and exit codes, pickup of mail dropped while it was stopped, retries
# after a fix, expiry with a bounce, and a delay warning (short times set in main.cf).

load helpers/common

setup_file() { common_setup_file; }

setup() {
    common_setup
    set_param minimal_backoff_time 1s
    set_param maximal_backoff_time 2s
    set_param queue_run_delay 1s
}

teardown() {
    "$BIN/postern" -C "$INST" stop > /dev/null 2>&1 || true
}


mail_count_is() { [ "$(mbox_count "$1")" -eq "$2" ]; }

@test "start, status, reload, stop: Postfix's messages and exit codes" {
    run --separate-stderr pc status
    assert_failure 1
    assert_equal "$stderr" 'postern: the Postern mail system is not running'
    run --separate-stderr pc start
    assert_success
    assert_equal "$stderr" 'postern: starting the Postern mail system'
    run --separate-stderr pc start
    assert_failure 1
    assert_equal "$stderr" 'postern: fatal: the Postern mail system is already running'
    run --separate-stderr pc status
    assert_success
    [[ "$stderr" =~ ^'postern: the Postern mail system is running: PID: '[0-9]+$ ]]
    local pid=${stderr##* }
    [ "$(cat "$INST/queue/pid/master.pid" | tr -d ' ')" = "$pid" ]
    run --separate-stderr pc reload
    assert_success
    assert_equal "$stderr" 'postern: refreshing the Postern mail system'
    wait_for 5 grep -q 'postern/master\[[0-9]*\]: reload -- version' "$INST/log/maillog"
    run --separate-stderr pc stop
    assert_success
    assert_equal "$stderr" 'postern: stopping the Postern mail system'
    ! kill -0 "$pid" 2> /dev/null
    run --separate-stderr pc stop
    assert_failure 1
    assert_equal "$stderr" 'postern: fatal: the Postern mail system is not running'
    grep -q "postern/master\[$pid\]: daemon started -- version" "$INST/log/maillog"
    grep -q "postern/master\[$pid\]: terminating on signal 15" "$INST/log/maillog"
}

@test "a daemon killed with SIGKILL leaves no stale pid file behind: status says not running" {
    pc start 2> /dev/null
    local pid
    pid=$(tr -d ' ' < "$INST/queue/pid/master.pid")
    kill -9 "$pid"
    wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
    run --separate-stderr pc status
    assert_failure 1
    run --separate-stderr pc start
    assert_success
}

@test "mail dropped while the daemon is stopped is delivered when it starts" {
    printf 'Subject: dropped\n\nwhile stopped\n' | sm -odq alice
    [ "$(queue_files)" -eq 1 ]
    pc start 2> /dev/null
    wait_for 10 mail_count_is alice 1
    run mbox_check alice
    assert_output --partial 'Subject: dropped'
    [ "$(queue_files)" -eq 0 ]
}

@test "with the daemon running, a plain sendmail is delivered without a queue run by hand" {
    pc start 2> /dev/null
    printf 'Subject: live\n\nhello\n' | sm -odq bob
    printf 'Subject: live 2\n\nhello\n' | sm bob
    wait_for 10 mail_count_is bob 2
}

@test "sendmail -bd starts the daemon and sendmail -q30m refuses a second one" {
    run --separate-stderr sm -bd
    assert_success
    run --separate-stderr pc status
    assert_success
    run --separate-stderr sm -q30m
    assert_failure
    assert_equal "$stderr" 'postern: fatal: the Postern mail system is already running'
}

@test "a deferred delivery succeeds after the fix once flushed" {
    local script=$BATS_TEST_TMPDIR/deliver.sh out=$BATS_TEST_TMPDIR/delivered
    printf '#!/bin/sh\nexit 75\n' > "$script"
    chmod 755 "$script"
    printf 'fixme: "|%s"\n' "$script" >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST" > /dev/null
    set_param queue_run_delay 1h        # only a flush may retry it
    printf 'Subject: after the fix\n\nx\n' | sm -odq fixme
    pc start 2> /dev/null
    wait_for 10 grep -q 'to=<fixme@.*status=deferred' "$INST/log/maillog"
    [ "$(queue_files)" -eq 1 ]
    printf '#!/bin/sh\ncat > %s\n' "$out" > "$script"
    run --separate-stderr pc flush
    assert_success
    wait_for 10 test -s "$out"
    grep -q '^Subject: after the fix$' "$out"
    wait_for 5 bash -c "[ \$(find '$INST/queue' -path '*/deferred/*' -type f | wc -l) -eq 0 ]"
}

@test "a message to a host we cannot reach expires after maximal_queue_lifetime and bounces" {
    set_param maximal_queue_lifetime 2s
    set_param delay_warning_time 0
    printf 'Subject: too late\n\nx\n' | sm -odq -f alice bob@unreachable.example
    pc start 2> /dev/null
    wait_for 20 mail_count_is alice 1
    run mbox_report alice
    assert_line 'report-type=delivery-status'
    assert_line 'Action: failed'
    assert_line --regexp '^Status: 5\.4\.7$'
    grep -q 'status=expired, returned to sender' "$INST/log/maillog"
    [ "$(queue_files)" -eq 0 ]
}

@test "a delay warning goes out after delay_warning_time while the message waits" {
    set_param delay_warning_time 2s
    printf 'Subject: slow\n\nx\n' | sm -odq -f alice bob@unreachable.example
    pc start 2> /dev/null
    wait_for 20 mail_count_is alice 1
    run mbox_report alice
    assert_line 'report-type=delivery-status'
    assert_line 'Action: delayed'
    assert_line --regexp '^Status: 4\.4\.1$'
    # Still queued: a warning is not a bounce.
    [ "$(queue_files)" -eq 1 ]
}

@test "through the socket the daemon takes the sender's identity from the kernel, not from -f" {
    [ "$(id -u)" -eq 0 ] || skip "needs root to act as another user"
    command -v setpriv > /dev/null || skip "setpriv is not installed"
    local d=$INST
    while [ "$d" != / ] && [ "$d" != /tmp ]; do chmod o+rx "$d"; d=$(dirname "$d"); done
    pc start 2> /dev/null
    [ -S "$INST/queue/public/submit" ]
    printf 'Subject: forged?\n\nx\n' \
        | setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/sendmail" -C "$INST" -f alice bob
    wait_for 10 mail_count_is bob 1
    local pid
    pid=$(tr -d ' ' < "$INST/queue/pid/master.pid")
    # Queued by the daemon itself (no maildrop file), with the peer's uid.
    grep -qE "postern/pickup\[$pid\]: [0-9A-Z]{16}: uid=65534 from=<alice@" "$INST/log/maillog"
    run mbox_header bob 'forged?' X-Authentication-Warning
    assert_output --regexp 'uid65534|nobody'
    assert_output --partial 'set sender to alice@'
}

@test "the daemon's SMTP listener accepts mail for a local user and refuses relaying from outside mynetworks" {
    set_param smtpd_peername_lookup no
    # A port of our own: find a free one, then listen there.
    local port
    port=$(free_port)
    set_param smtpd_listen "127.0.0.1:$port"
    set_param mynetworks 10.9.9.0/24
    set_param accept_unresolvable_domains yes
    pc start 2> /dev/null
    run python3 - "$port" "$HOST" <<'PY'
import smtplib, sys
port, host = int(sys.argv[1]), sys.argv[2]
s = smtplib.SMTP("127.0.0.1", port, timeout=30)
code, _ = s.ehlo("client.example")
print("ehlo", code)
s.sendmail("someone@example.com", ["alice@" + host], "Subject: over smtp\r\n\r\nhello\r\n")
print("local accepted")
try:
    s.sendmail("someone@example.com", ["victim@elsewhere.example"], "Subject: relay\r\n\r\nx\r\n")
    print("relay accepted")
except smtplib.SMTPRecipientsRefused as e:
    code, text = e.recipients["victim@elsewhere.example"]
    print("relay refused", code, text.decode())
s.quit()
PY
    assert_success
    assert_line 'ehlo 250'
    assert_line 'local accepted'
    assert_line 'relay refused 554 5.7.1 <victim@elsewhere.example>: Relay access denied'
    wait_for 10 mail_count_is alice 1
    grep -qE 'postern/smtpd\[[0-9]+\]: NOQUEUE: reject: RCPT from unknown\[127\.0\.0\.1\]: 554 5\.7\.1 <victim@elsewhere\.example>: Relay access denied; from=<someone@example\.com> to=<victim@elsewhere\.example> proto=ESMTP helo=<client\.example>' "$INST/log/maillog"
}

# holder PORT...: python3 listens on each loopback port (as the old MTA's master did) until
# killed; prints its pid once it listens.
hold_ports() {
    python3 - "$@" > "$BATS_TEST_TMPDIR/holder" <<'PY' &
import socket, sys, time
socks = []
for p in sys.argv[1:]:
    s = socket.socket(); s.bind(("127.0.0.1", int(p))); s.listen(5); socks.append(s)
print("listening", flush=True)
time.sleep(120)
PY
    HOLDER=$!
    wait_for 10 grep -q listening "$BATS_TEST_TMPDIR/holder"
}


answers() { python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1).close()"; }

@test "a port that cannot be opened is a failed start: exit 1, one line saying why, not running" {
    local busy free
    busy=$(free_port)
    free=$(free_port)
    set_param smtpd_listen "127.0.0.1:$free, 127.0.0.1:$busy"
    hold_ports "$busy"
    run --separate-stderr pc start
    kill "$HOLDER"
    assert_failure 1
    assert_equal "$stderr" "postern: fatal: cannot listen on 127.0.0.1:$busy: Address already in use"
    run --separate-stderr pc status
    assert_failure 1
    assert_equal "$stderr" 'postern: the Postern mail system is not running'
    ! answers "$free"
    grep -q "postern/master\[[0-9]*\]: fatal: cannot listen on 127.0.0.1:$busy: Address already in use" \
        "$INST/log/maillog"
}

@test "a reload whose new port cannot be opened keeps the old listeners and says so" {
    local old busy
    old=$(free_port)
    busy=$(free_port)
    set_param smtpd_listen "127.0.0.1:$old"
    pc start 2> /dev/null
    wait_for 10 answers "$old"
    hold_ports "$busy"
    set_param smtpd_listen "127.0.0.1:$busy"
    run --separate-stderr pc reload
    assert_success
    wait_for 10 grep -q "reload: cannot listen on 127.0.0.1:$busy: Address already in use; still listening on 127.0.0.1:$old" \
        "$INST/log/maillog"
    kill "$HOLDER"
    answers "$old"
    pc status 2> /dev/null
}
