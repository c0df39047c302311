#!/usr/bin/env bats
# The daemon's SMTP listener over loopback TCP, driven by real clients: swaks (plain and
# pipelined sessions, refusals with their exact replies) and python3 (a client that streams
# 100 MB without stopping). Mail must end in the mbox, read back with python3's mailbox.

load helpers/common

setup_file() { common_setup_file; }

setup() {
    common_setup
    smtp_on_loopback
}

teardown() {
    "$BIN/postern" -C "$INST" stop > /dev/null 2>&1 || true
}


start_daemon() {
    pc start 2> /dev/null
    wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1).close()"
}

mail_count_is() { [ "$(mbox_count "$1")" -eq "$2" ]; }

sw() { swaks --server 127.0.0.1 --port "$PORT" --helo client.example --timeout 30 "$@"; }

@test "swaks delivers to a local user: 250 queued as ID, one Received header naming the id" {
    start_daemon
    run sw --from sender@example.com --to "alice@$HOST" --header "Subject: via swaks" \
        --body "hello from swaks"
    assert_success
    assert_output --regexp '<-  250 2\.0\.0 Ok: queued as [0-9A-Z]+'
    id=$(printf '%s\n' "$output" | sed -n 's/.*queued as \([0-9A-Z]*\).*/\1/p')
    wait_for 10 mail_count_is alice 1
    run mbox_headers alice 'via swaks'
    assert_equal "$(grep -c '^Received$' <<< "$output")" 1
    run mbox_header alice 'via swaks' Received
    assert_output --regexp "from client\.example \(unknown \[127\.0\.0\.1\]\)"
    assert_output --partial "with ESMTP id $id"
    run mbox_body alice 'via swaks'
    assert_output --partial 'hello from swaks'
}

@test "an SMTP client on this machine's own address gets its unqualified header addresses qualified (Postfix's permit_inet_interfaces)" {
    start_daemon
    myorigin=$(pc config myorigin)
    run sw --from sender@example.com --to "alice@$HOST" --header "Subject: from localhost" \
        --header "Cc: bob" --body "hello"
    assert_success
    wait_for 10 mail_count_is alice 1
    run mbox_header alice 'from localhost' Cc
    assert_output "bob@$myorigin"
}

@test "swaks with PIPELINING: three recipients in one burst, all delivered once" {
    start_daemon
    run sw --pipeline --from sender@example.com --to "alice@$HOST,bob@$HOST,root@$HOST" \
        --header "Subject: pipelined"
    assert_success
    assert_output --partial '250 2.0.0 Ok: queued as'
    wait_for 10 mail_count_is alice 1
    wait_for 10 mail_count_is bob 1
}

@test "swaks is refused relaying (554 5.7.1) and an unknown local user (550 5.1.1); nothing is queued" {
    start_daemon
    run sw --from sender@example.com --to victim@elsewhere.example
    assert_failure
    assert_output --partial '<** 554 5.7.1 <victim@elsewhere.example>: Relay access denied'
    run sw --from sender@example.com --to "nosuchuser@$HOST"
    assert_failure
    assert_output --partial "<** 550 5.1.1 <nosuchuser@$HOST>: Recipient address rejected: User unknown in local recipient table"
    run mq
    assert_output --partial 'is empty'
}

@test "a client streaming 100 MB is refused at the size limit; a concurrent client's mail is delivered" {
    set_param message_size_limit 1000000
    start_daemon
    run python3 - "$PORT" "$HOST" <<'PY'
import socket, sys, threading, smtplib
port, host = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port), 30)
f = s.makefile("rb")
def reply():
    line = f.readline()
    while line[3:4] == b"-":
        line = f.readline()
    return line.decode().strip()
print("greeting", reply()[:3])
for cmd in (b"EHLO big.example", b"MAIL FROM:<big@example.com>", b"RCPT TO:<alice@" + host.encode() + b">", b"DATA"):
    s.sendall(cmd + b"\r\n")
    print(cmd.split()[0].decode(), reply()[:3])
def other():
    c = smtplib.SMTP("127.0.0.1", port, timeout=30)
    c.sendmail("small@example.com", ["bob@" + host], "Subject: small\r\n\r\nfits\r\n")
    c.quit()
    print("concurrent client accepted")
chunk = b"Subject: huge\r\n\r\n" + (b"x" * 998 + b"\r\n") * 1024
t = threading.Thread(target=other)
sent = 0
while sent < 100 * 1024 * 1024:
    s.sendall(chunk)
    sent += len(chunk)
    if sent > 10 * 1024 * 1024 and not t.is_alive() and t.ident is None:
        t.start()
s.sendall(b".\r\n")
print("end of data", reply())
s.sendall(b"QUIT\r\n")
print("quit", reply()[:3])
t.join()
PY
    assert_success
    assert_line 'DATA 354'
    assert_line 'end of data 552 5.3.4 Error: message file too big'
    assert_line 'quit 221'
    assert_line 'concurrent client accepted'
    wait_for 10 mail_count_is bob 1
    [ ! -e "$(mbox_path alice)" ] || mail_count_is alice 0
    run mq
    assert_output --partial 'is empty'
    # No half-written file is left behind in the queue.
    run find "$INST/queue" -type f -newer "$INST/main.cf" -path '*incoming*'
    assert_output ''
    run pc status
    assert_success
}

# start_dnsmasq RECORD-OPTIONS...: a DNS server of our own on a free loopback port, with only
# these records (everything else NXDOMAIN), used through dns_resolver.
start_dnsmasq() {
    local dport
    dport=$(free_port)
    local user=()
    [ "$(id -u)" -eq 0 ] && user=(--user=root)
    /usr/sbin/dnsmasq --no-daemon --no-resolv --no-hosts --conf-file=/dev/null --local='/#/' \
        --port="$dport" --listen-address=127.0.0.1 --bind-interfaces "${user[@]}" "$@" \
        > "$BATS_TEST_TMPDIR/dnsmasq.log" 2>&1 &
    DNSMASQ_PID=$!
    set_param dns_resolver "127.0.0.1:$dport"
    set_param dns_timeout 2s
}

stop_dnsmasq() { [ -z "${DNSMASQ_PID:-}" ] || kill "$DNSMASQ_PID" 2> /dev/null || true; }

@test "DNS checks with a real DNS server: DNSBL listing, unknown sender domain, known sender domain" {
    start_dnsmasq --host-record=1.0.0.127.bl.test,127.0.0.2 \
        --txt-record=1.0.0.127.bl.test,"listed for testing" \
        --mx-host=good.test,mx.good.test,10 --host-record=mx.good.test,192.0.2.25
    set_param syslog_name postfix
    set_param accept_unresolvable_domains no
    start_daemon
    run sw --from a@good.test --to "alice@$HOST" --header "Subject: good sender"
    assert_success
    run sw --from a@nothere.test --to "alice@$HOST"
    assert_failure
    assert_output --partial '<** 550 5.1.8 <a@nothere.test>: Sender address rejected: Domain not found'
    pc stop 2> /dev/null
    set_param smtpd_dnsbl_zones bl.test
    start_daemon
    run sw --from a@good.test --to "alice@$HOST"
    stop_dnsmasq
    assert_failure
    assert_output --partial '<** 550 5.7.1 Rejected: 127.0.0.1 listed at bl.test'
    grep -q 'listed at bl.test (127.0.0.2): listed for testing' "$INST/log/maillog"
    wait_for 10 mail_count_is alice 1
    # fail2ban's stock filter catches the unknown sender domain reject.
    if command -v fail2ban-regex > /dev/null; then
        run fail2ban-regex "$INST/log/maillog" /etc/fail2ban/filter.d/postfix.conf
        assert_output --regexp 'Lines: [0-9]+ lines, 0 ignored, [1-9][0-9]* matched'
    fi
}
