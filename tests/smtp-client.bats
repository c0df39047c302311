#!/usr/bin/env bats
# Remote delivery end to end: sendmail on one Postern instance, a second Postern instance as
# the far end on a loopback port, DNS from a dnsmasq started here with only the records each
# test needs. Checks one transaction per destination, MX order, bounces of one recipient
# with an RFC 3464 report read by python3's email parser, deferrals when nothing answers.

load helpers/common

setup_file() { common_setup_file; }


setup() {
    common_setup
    FAR=$BATS_TEST_TMPDIR/far
    "$BIN/postern" init "$FAR" --user alice --user bob > /dev/null
    FARPORT=$(free_port)
    # Its own name: a far end greeting with ours would be a mail loop (and is refused).
    printf '%s\n' "smtpd_listen = 127.0.0.1:$FARPORT" 'myhostname = mx2.far.test' \
        'mydestination = far.test, localhost' \
        'smtpd_peername_lookup = no' >> "$FAR/main.cf"
    "$BIN/postern" -C "$FAR" start 2> /dev/null
    DPORT=$(free_port)
    set_param dns_resolver "127.0.0.1:$DPORT"
    set_param dns_timeout 2s
    set_param smtp_tls_security_level none
    set_param relayhost ""
    set_param mailertable_map "hash:$INST/mailertable"
    printf 'far.test smtp:far.test:%s\n' "$FARPORT" > "$INST/mailertable"
    "$BIN/postmap" -c "$INST" "hash:$INST/mailertable"
}

teardown() {
    "$BIN/postern" -C "$FAR" stop > /dev/null 2>&1 || true
    [ -z "${DNSMASQ_PID:-}" ] || kill "$DNSMASQ_PID" 2> /dev/null || true
}

# dns RECORD-OPTIONS...: dnsmasq on DPORT answering only these records (others NXDOMAIN).
dns() {
    local user=()
    [ "$(id -u)" -eq 0 ] && user=(--user=root)
    /usr/sbin/dnsmasq --no-daemon --no-resolv --no-hosts --conf-file=/dev/null --local='/#/' \
        --port="$DPORT" --listen-address=127.0.0.1 --bind-interfaces "${user[@]}" "$@" \
        > "$BATS_TEST_TMPDIR/dnsmasq.log" 2>&1 &
    DNSMASQ_PID=$!
    sleep 0.3
}

far_count() { mbox_py count "$FAR/mail/$1"; }

far_has() { [ "$(far_count "$1")" -eq "$2" ]; }

@test "three recipients at one domain go in one transaction via the second MX; the refused one alone bounces" {
    # The best MX (127.0.0.2) has nothing listening: the client moves on to the second.
    dns --mx-host=far.test,mx1.far.test,10 --mx-host=far.test,mx2.far.test,20 \
        --host-record=mx1.far.test,127.0.0.2 --host-record=mx2.far.test,127.0.0.1
    printf 'Subject: to the far end\n\nhello far\n' > "$MSG"
    sm -f "alice@$HOST" alice@far.test bob@far.test nosuch@far.test < "$MSG"
    run flush
    assert_success
    wait_for 10 far_has alice 1
    wait_for 10 far_has bob 1
    # One connection, one transaction with three RCPTs at the far end.
    [ "$(grep -c 'postern/smtpd\[[0-9]*\]: connect from' "$FAR/log/maillog")" -eq 1 ]
    grep -q 'NOQUEUE: reject: RCPT from unknown\[127.0.0.1\]: 550 5.1.1 <nosuch@far.test>' "$FAR/log/maillog"
    [ "$(grep -c 'nrcpt=2 (queue active)' "$FAR/log/maillog")" -eq 1 ]
    grep -qE "postern/smtp\[[0-9]+\]: [0-9A-Z]+: to=<alice@far.test>, relay=mx2.far.test\[127.0.0.1\]:$FARPORT, .*status=sent \(250 2.0.0 Ok: queued as" "$INST/log/maillog"
    grep -qE 'to=<nosuch@far.test>, relay=mx2.far.test\[127.0.0.1\]:[0-9]+, .*dsn=5.1.1, status=bounced \(host mx2.far.test\[127.0.0.1\] said: 550 5.1.1 <nosuch@far.test>' "$INST/log/maillog"
    # The sender's bounce names only the refused recipient, with the far server's reply.
    run mbox_py report "$(mbox_path alice)"
    assert_success
    assert_line 'report-type=delivery-status'
    assert_line 'Final-Recipient: rfc822; nosuch@far.test'
    assert_line 'Action: failed'
    assert_line 'Status: 5.1.1'
    assert_line 'Remote-MTA: dns; mx2.far.test'
    assert_line --regexp '^Diagnostic-Code: smtp; 550 5.1.1 <nosuch@far.test>: Recipient address rejected'
    refute_line 'Final-Recipient: rfc822; alice@far.test'
    assert_line 'Returned-Subject: to the far end'
    run mq
    assert_output --partial 'is empty'
}

@test "a domain that does not exist bounces, a null MX bounces, DNS trouble defers" {
    dns --mx-host=nullmx.test,.,0 --server=/broken.test/127.0.0.1#9
    set_param mailertable_map ""
    printf 'Subject: nowhere\n\nx\n' > "$MSG"
    sm -f "alice@$HOST" someone@nosuch.test someone@nullmx.test someone@broken.test < "$MSG"
    run flush
    grep -qE 'to=<someone@nosuch.test>, relay=none, .*dsn=5.4.4, status=bounced \(Host or domain name not found. Name service error for name=nosuch.test type=MX: Host not found\)' "$INST/log/maillog"
    grep -qE 'to=<someone@nullmx.test>, relay=none, .*dsn=5.1.10, status=bounced \(Domain nullmx.test does not accept mail \(nullMX\)\)' "$INST/log/maillog"
    grep -qE 'to=<someone@broken.test>, relay=none, .*dsn=4.4.3, status=deferred \(Name service error for name=broken.test type=MX' "$INST/log/maillog"
    run mbox_py report "$(mbox_path alice)"
    assert_line 'Final-Recipient: rfc822; someone@nosuch.test'
    assert_line 'Final-Recipient: rfc822; someone@nullmx.test'
    refute_line 'Final-Recipient: rfc822; someone@broken.test'
    run mq
    assert_output --partial 'someone@broken.test'
}

@test "when every MX host is down the mail is deferred with the connection error and kept" {
    dns --mx-host=far.test,mx1.far.test,10 --host-record=mx1.far.test,127.0.0.2
    printf 'Subject: later\n\nx\n' > "$MSG"
    sm -f "alice@$HOST" alice@far.test < "$MSG"
    run flush
    grep -qE "to=<alice@far.test>, relay=none, .*dsn=4.4.1, status=deferred \(connect to mx1.far.test\[127.0.0.2\]:$FARPORT: Connection refused\)" "$INST/log/maillog"
    run mq
    assert_output --partial 'alice@far.test'
    [ ! -e "$(mbox_path alice)" ]
}

@test "sendmail -v delivers at once and prints the SMTP dialogue as sendmail does" {
    dns --mx-host=far.test,mx2.far.test,10 --host-record=mx2.far.test,127.0.0.1
    printf 'Subject: verbose\n\nx\n' > "$MSG"
    run sm -v -f "alice@$HOST" bob@far.test < "$MSG"
    assert_success
    assert_line --regexp '^220 mx2\.far\.test ESMTP'
    assert_line ">>> EHLO $HOST"
    assert_line --regexp '^>>> MAIL FROM:<alice@[^>]+>'
    assert_line '>>> RCPT TO:<bob@far.test> ORCPT=rfc822;bob@far.test'
    assert_line '>>> DATA'
    assert_line --regexp '^250 2\.0\.0 Ok: queued as [0-9A-Z]+$'
    assert_line '>>> QUIT'
    wait_for 10 far_has bob 1
}

@test "default_destination_recipient_limit splits a destination's recipients into transactions" {
    set_param default_destination_recipient_limit 2
    printf 'far.test smtp:[127.0.0.1]:%s\n' "$FARPORT" > "$INST/mailertable"
    "$BIN/postmap" -c "$INST" "hash:$INST/mailertable"
    printf 'Subject: split\n\nx\n' > "$MSG"
    sm -f "alice@$HOST" alice@far.test bob@far.test root@far.test < "$MSG"
    run flush
    wait_for 10 far_has alice 1
    wait_for 10 far_has bob 1
    # Two transactions (2 + 1 recipients), over one connection reused after RSET.
    [ "$(grep -c 'nrcpt=2 (queue active)' "$FAR/log/maillog")" -eq 1 ]
    [ "$(grep -c 'nrcpt=1 (queue active)' "$FAR/log/maillog")" -eq 1 ]
    [ "$(grep -c 'postern/smtpd\[[0-9]*\]: connect from' "$FAR/log/maillog")" -eq 1 ]
}

@test "an unreachable destination is tried once per run; its other mail waits without a connection" {
    set_param default_destination_concurrency_limit 1
    printf 'far.test smtp:[127.0.0.2]:%s\n' "$FARPORT" > "$INST/mailertable"
    "$BIN/postmap" -c "$INST" "hash:$INST/mailertable"
    for i in 1 2 3; do
        printf 'Subject: dead %s\n\nx\n' "$i" | sm -odq -f "alice@$HOST" alice@far.test
    done
    run flush
    [ "$(grep -cE 'postern/smtp\[[0-9]+\]: connect to 127\.0\.0\.2' "$INST/log/maillog")" -eq 1 ]
    [ "$(grep -c 'status=deferred (delivery temporarily suspended: connect to 127.0.0.2' "$INST/log/maillog")" -eq 2 ]
}

@test "a message that has crossed hopcount_limit MTAs bounces instead of going round again" {
    set_param hopcount_limit 3
    printf 'far.test smtp:[127.0.0.1]:%s\n' "$FARPORT" > "$INST/mailertable"
    "$BIN/postmap" -c "$INST" "hash:$INST/mailertable"
    printf 'Received: from a\nReceived: from b\nReceived: from c\nSubject: looping\n\nx\n' > "$MSG"
    sm -f "alice@$HOST" bob@far.test < "$MSG"
    run flush
    grep -qE 'to=<bob@far.test>, relay=none, .*dsn=5.4.6, status=bounced \(too many hops\)' "$INST/log/maillog"
    [ "$(far_count bob)" -eq 0 ]
}
