#!/usr/bin/env bats
# LMTP delivery to a real Dovecot, started here as the invoking user with a private
# configuration: mailbox_transport for local users over Dovecot's UNIX socket (also through
# root's local delivery service, as root), virtual_transport for virtual_mailbox_domains over
# TCP and from inbound SMTP; mail read back with doveadm. Pins per-recipient replies after
# DATA (RFC 2033), deferral while the store is down, and the reuse of one LMTP session for
# several messages. Runs as root (CI) and as an ordinary user.

load helpers/common
load helpers/dovecot

setup_file() { common_setup_file; }

setup() {
    common_setup
    DOVE=$BATS_TEST_TMPDIR/dove
    # Root delivers as nobody, who cannot enter bats' private directory.
    [ "$(id -u)" -ne 0 ] || { DOVE=$(mktemp -d /tmp/lmtp-store.XXXXXX); chmod 755 "$DOVE"; }
    LPORT=$(free_port)
    start_dovecot
}

teardown() {
    [ -z "${SYS:-}" ] || "$BIN/postern" -C "$SYS" stop > /dev/null 2>&1 || true
    "$BIN/postern" -C "$INST" stop > /dev/null 2>&1 || true
    stop_dovecot || true
    [ "$(id -u)" -ne 0 ] || rm -rf "$DOVE"
}

# start_dovecot: Dovecot's LMTP on $DOVE/lmtp and 127.0.0.1:$LPORT, users alice, bob and
# carol (no account of the instance's) with maildirs under $DOVE/mail. Root delivers as nobody (Dovecot refuses uid 0 for a user).
start_dovecot() {
    mkdir -p "$DOVE/mail"
    local uid gid
    uid=$(id -u) gid=$(id -g)
    if [ "$uid" -eq 0 ]; then
        uid=65534 gid=65534
        chmod 777 "$DOVE/mail"
    fi
    printf '%s\n' "alice:{PLAIN}x:$uid:$gid::$DOVE/mail/alice" \
        "bob:{PLAIN}x:$uid:$gid::$DOVE/mail/bob" \
        "carol:{PLAIN}x:$uid:$gid::$DOVE/mail/carol" > "$DOVE/users"
    dovecot_conf "$DOVE" lmtp "maildir:$DOVE/mail/%n/Maildir" <<CONF
listen = 127.0.0.1
auth_username_format = %Ln
service lmtp {
  unix_listener $DOVE/lmtp {
    mode = 0666
  }
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LPORT
  }
}
CONF
    dovecot -c "$DOVE/dovecot.conf"
    # A socket file left by a stopped Dovecot is there at once: wait for a listener (on TCP:
    # the connection cache test counts the UNIX socket's connections).
    for _ in $(seq 300); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $LPORT), 1).close()" \
            2> /dev/null && return 0
        sleep 0.1
    done
    return 1
}

# stop_dovecot: ends the test's Dovecot (by its master's pid) and waits, up to 30 s on a
# loaded machine, until its LMTP socket refuses connections; fails if it does not.
stop_dovecot() {
    [ -f "$DOVE/run/master.pid" ] || return 0
    local pid
    pid=$(cat "$DOVE/run/master.pid")
    kill "$pid" 2> /dev/null || return 0
    for _ in $(seq 300); do
        ! kill -0 "$pid" 2> /dev/null && lmtp_refused && return 0
        sleep 0.1
    done
    return 1
}

# lmtp_refused: nothing takes a connection on Dovecot's LMTP socket.
lmtp_refused() {
    ! python3 -c "import socket; socket.socket(socket.AF_UNIX).connect('$DOVE/lmtp')" 2> /dev/null
}

# inbox USER: the text of every message in USER's Dovecot INBOX.
inbox() { doveadm -c "$DOVE/dovecot.conf" fetch -u "$1" text mailbox INBOX ALL; }

@test "mailbox_transport = lmtp:unix:PATH delivers a local user's mail into Dovecot, not the mbox" {
    set_param mailbox_transport "lmtp:unix:$DOVE/lmtp"
    printf 'Subject: to the store\n\nhello dovecot\n' | write_msg
    run sm alice < "$MSG"
    assert_success
    flush
    run inbox alice
    assert_success
    assert_output --partial 'Subject: to the store'
    assert_output --partial 'hello dovecot'
    [ ! -s "$(mbox_path alice)" ]
    grep -qE "postern/lmtp\[[0-9]+\]: [0-9A-Z]+: to=<alice@$HOST>, relay=$HOST\[$DOVE/lmtp\], .*dsn=2.0.0, status=sent \(250 2.0.0 <alice@$HOST> [^ ]+ Saved\)" "$INST/log/maillog"
    # One line for the recipient: local(8) leaves it to the store's.
    [ "$(grep -c "to=<alice@$HOST>" "$INST/log/maillog")" -eq 1 ]
}

@test "mailbox_transport with a relative socket path is relative to the queue directory; aliases apply first" {
    mkdir -p "$INST/queue/private"
    ln -s "$DOVE/lmtp" "$INST/queue/private/dovecot-lmtp"
    set_param mailbox_transport lmtp:unix:private/dovecot-lmtp
    printf 'store-admin: bob\n' >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST"
    printf 'Subject: via alias\n\nx\n' | write_msg
    run sm store-admin < "$MSG"
    assert_success
    flush
    run inbox bob
    assert_output --partial 'Subject: via alias'
    grep -qE "to=<bob@$HOST>, orig_to=<store-admin@$HOST>, relay=$HOST\[private/dovecot-lmtp\], .*status=sent" "$INST/log/maillog"
}

@test "virtual_transport = lmtp:[127.0.0.1]:PORT: one recipient Dovecot refuses bounces, the other of the same message is delivered" {
    set_param virtual_mailbox_domains store.test
    set_param virtual_transport "lmtp:[127.0.0.1]:$LPORT"
    printf 'Subject: two of them\n\nx\n' | write_msg
    run sm alice@store.test nosuch@store.test < "$MSG"
    assert_success
    flush
    run inbox alice
    assert_output --partial 'Subject: two of them'
    grep -qE "postern/lmtp\[[0-9]+\]: [0-9A-Z]+: to=<alice@store.test>, relay=127.0.0.1\[127.0.0.1\]:$LPORT, .*status=sent \(250 2.0.0 <alice@store.test>" "$INST/log/maillog"
    grep -qE "to=<nosuch@store.test>, relay=127.0.0.1\[127.0.0.1\]:$LPORT, .*dsn=5.1.1, status=bounced \(host 127.0.0.1\[127.0.0.1\] said: 550 5.1.1 <nosuch@store.test> User doesn't exist" "$INST/log/maillog"
    # The sender (the invoking user) gets the bounce for nosuch only.
    run grep -c '^Final-Recipient: rfc822; nosuch@store.test' "$(mbox_path "$(id -un)")"
    assert_output 1
    run grep -c 'alice@store.test' "$(mbox_path "$(id -un)")"
    assert_output 0
}

@test "LMTP store down: the recipient is deferred (4.4.1) and delivered once the store is back" {
    set_param mailbox_transport "lmtp:unix:$DOVE/lmtp"
    stop_dovecot
    printf 'Subject: later\n\nx\n' | write_msg
    run sm alice < "$MSG"
    assert_success
    wait_for 30 grep -qE "to=<alice@$HOST>, relay=none, .*dsn=4.4.1, status=deferred \(connect to $HOST\[$DOVE/lmtp\]: " "$INST/log/maillog"
    [ "$(ls "$INST/queue/deferred" | wc -l)" -eq 1 ]
    start_dovecot
    flush
    run inbox alice
    assert_output --partial 'Subject: later'
    [ "$(ls "$INST/queue/deferred" | wc -l)" -eq 0 ]
}

@test "one LMTP connection carries several messages to the same store (connection cache)" {
    set_param virtual_mailbox_domains store.test
    set_param virtual_transport "lmtp:unix:$DOVE/lmtp"
    set_param default_process_limit 1
    for i in 1 2 3; do
        printf 'Subject: number %s\n\nx\n' "$i" | write_msg
        sm -odq "alice@store.test" < "$MSG"
    done
    flush
    run inbox alice
    assert_output --partial 'Subject: number 1'
    assert_output --partial 'Subject: number 3'
    [ "$(grep -c 'status=sent' "$INST/log/maillog")" -eq 3 ]
    # Dovecot logs each connection's end; the cached session ends with the run (QUIT).
    for _ in $(seq 30); do grep -q 'Disconnect from local' "$DOVE/dovecot.log" && break; sleep 0.1; done
    [ "$(grep -c 'Disconnect from local' "$DOVE/dovecot.log")" -eq 1 ]
}

@test "mailbox_transport takes a local name with no account, as Postfix's local(8) passes it before getpwnam: the store decides" {
    set_param mailbox_transport "lmtp:unix:$DOVE/lmtp"
    # sendmail itself still refuses a name that is neither user nor alias (its local
    # mailer's F=w); an alias may name the store's users.
    printf 'store-team: carol, ghost\n' >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST"
    printf 'Subject: no account here\n\nx\n' | write_msg
    run sm store-team < "$MSG"
    assert_success
    flush
    run inbox carol
    assert_output --partial 'Subject: no account here'
    grep -qE "postern/lmtp\[[0-9]+\]: [0-9A-Z]+: to=<carol@$HOST>, orig_to=<store-team@$HOST>, relay=$HOST\[$DOVE/lmtp\], .*status=sent" "$INST/log/maillog"
    grep -qE "to=<ghost@$HOST>, orig_to=<store-team@$HOST>, relay=$HOST\[$DOVE/lmtp\], .*dsn=5.1.1, status=bounced \(host $HOST\[$DOVE/lmtp\] said: 550 5.1.1 <ghost@$HOST> User doesn't exist" "$INST/log/maillog"
    # Without mailbox_transport local(8) itself knows nobody of that name.
    sed -i '/^mailbox_transport/d' "$INST/main.cf"
    run sm store-team < "$MSG"
    flush
    grep -qE "relay=local, .*dsn=5.1.1, status=bounced \(unknown user: \"carol\"\)" "$INST/log/maillog"
}

@test "inbound SMTP for virtual_mailbox_domains: listed recipients taken and delivered into Dovecot, others refused 550 5.1.1 (virtual_mailbox_maps)" {
    smtp_on_loopback
    set_param virtual_mailbox_domains store.test
    set_param virtual_transport "lmtp:unix:$DOVE/lmtp"
    set_param virtual_mailbox_maps "hash:$INST/vmailbox"
    printf 'alice@store.test store.test/alice/\n' > "$INST/vmailbox"
    "$BIN/postmap" -c "$INST" "hash:$INST/vmailbox"
    pc start 2> /dev/null
    wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1).close()"
    run python3 - "$PORT" <<'PY'
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30)
s.ehlo('client.test')
s.mail('someone@good.test')
print(*s.rcpt('alice@store.test'))
print(*s.rcpt('nosuch@store.test'))
print(s.data(b'Subject: from outside\r\n\r\nhello store\r\n')[0])
s.quit()
PY
    assert_success
    assert_line --index 0 --regexp "^250 b'2.1.5 "
    assert_line --index 1 "550 b'5.1.1 <nosuch@store.test>: Recipient address rejected: User unknown in virtual mailbox table'"
    assert_line --index 2 250
    wait_for 30 grep -qE "postern/lmtp\[[0-9]+\]: [0-9A-Z]+: to=<alice@store.test>, relay=$HOST\[$DOVE/lmtp\], .*status=sent" "$INST/log/maillog"
    run inbox alice
    assert_output --partial 'Subject: from outside'
    assert_output --partial 'hello store'
}

@test "local_delivery_service = yes (root's service, the daemon as the mail owner): mailbox_transport after .forward, the LMTP spoken by the daemon" {
    [ "$(id -u)" -eq 0 ] || skip "needs root: the local delivery service runs as root, the daemon as the mail owner"
    OWNER=pstowner
    id -u $OWNER > /dev/null 2>&1 || useradd -M -s /bin/sh $OWNER
    SYS=$DOVE/sys
    "$BIN/postern" init "$SYS" --user alice --user bob > /dev/null
    sed -i '/^mail_owner = /d; /^default_privs = /d' "$SYS/main.cf"
    printf '%s\n' "mail_owner = $OWNER" 'default_privs = nobody' 'local_delivery_service = yes' \
        'relayhost = [127.0.0.1]:1' "mailbox_transport = lmtp:unix:$DOVE/lmtp" >> "$SYS/main.cf"
    echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >> "$SYS/users"
    # alice keeps a copy and forwards one to bob: root's service reads her .forward; carol
    # has no account, only an alias names her.
    printf '\\alice, bob\n' > "$SYS/home/alice/.forward"
    printf 'store-team: carol\n' >> "$SYS/aliases"
    "$BIN/newaliases" -C "$SYS"
    chown -R $OWNER: "$SYS/queue" "$SYS/log"
    "$BIN/postern" -C "$SYS" start 2> /dev/null
    printf 'Subject: through the service\n\nx\n' | write_msg
    "$BIN/sendmail" -C "$SYS" alice store-team < "$MSG"
    wait_for 30 grep -q "to=<carol@$HOST>, orig_to=<store-team@$HOST>, relay=$HOST\[$DOVE/lmtp\], .*status=sent" "$SYS/log/maillog"
    wait_for 30 grep -q "to=<bob@$HOST>, orig_to=<alice@$HOST>, relay=$HOST\[$DOVE/lmtp\], .*status=sent" "$SYS/log/maillog"
    grep -q "to=<alice@$HOST>, relay=$HOST\[$DOVE/lmtp\], .*status=sent" "$SYS/log/maillog"
    for u in alice bob carol; do
        run inbox $u
        assert_output --partial 'Subject: through the service'
    done
    # The daemon (the mail owner, not root) spoke LMTP; each destination has one line.
    daemon=$(tr -d ' \n' < "$SYS/queue/pid/master.pid")
    run grep -c "postern/lmtp\[$daemon\]: .*status=sent" "$SYS/log/maillog"
    assert_output 3
    run grep -c "status=" "$SYS/log/maillog"
    assert_output 3
    [ ! -s "$SYS/mail/alice" ] && [ ! -s "$SYS/mail/bob" ]
    wait_for 10 test -z "$(find "$SYS/queue/active" "$SYS/queue/incoming" "$SYS/queue/deferred" -type f)"
}
