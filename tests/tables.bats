#!/usr/bin/env bats
# Tables the running daemon uses follow their files without a restart: a table created
# after the daemon started (the packaged main.cf names /etc/mail/access before it exists),
# rebuilt, removed, or replaced by a Berkeley DB the old MTA left. Driven over loopback SMTP
# with swaks, as in smtpd-tcp.bats.

load helpers/common

setup_file() { common_setup_file; }

setup() {
    common_setup
    smtp_on_loopback
    set_param access_map hash:access
    set_param virtusertable_map hash:virtusertable
}

teardown() {
    "$BIN/postern" -C "$INST" stop > /dev/null 2>&1 || true
}


start_daemon() {
    pc start 2> /dev/null
    wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1).close()"
}

sw() { swaks --server 127.0.0.1 --port "$PORT" --helo client.example --timeout 30 "$@"; }

mail_count_is() { [ "$(mbox_count "$1")" -eq "$2" ]; }

@test "an access table created after the daemon started rejects the next transaction, no restart" {
    [ ! -e "$INST/access" ] && [ ! -e "$INST/access.db" ]
    start_daemon
    run sw --from spammer@example.com --to "alice@$HOST"
    assert_success
    wait_for 10 mail_count_is alice 1

    printf 'From:spammer@example.com REJECT\n' > "$INST/access"
    "$BIN/postmap" "hash:$INST/access"
    run sw --from spammer@example.com --to "alice@$HOST"
    assert_failure
    assert_output --partial '<** 550 5.7.1 Access denied'

    # Rebuilt without the entry: accepted again.
    printf 'From:other@example.com REJECT\n' > "$INST/access"
    "$BIN/postmap" "hash:$INST/access"
    run sw --from spammer@example.com --to "alice@$HOST"
    assert_success
    wait_for 10 mail_count_is alice 2
}

@test "an access table removed, replaced by a Berkeley DB, then rebuilt: empty, 4.3.0, rules again" {
    printf 'From:spammer@example.com REJECT\n' > "$INST/access"
    "$BIN/postmap" "$INST/access"
    start_daemon
    run sw --from spammer@example.com --to "alice@$HOST"
    assert_failure
    assert_output --partial '<** 550 5.7.1'

    rm "$INST/access" "$INST/access.db"
    run sw --from spammer@example.com --to "alice@$HOST"
    assert_success

    cp "$BATS_TEST_DIRNAME/../maps/src/test/resources/org/postern/maps/hash/hash-littleendian.db" \
        "$INST/access.db.tmp"
    mv "$INST/access.db.tmp" "$INST/access.db"
    run sw --from spammer@example.com --to "alice@$HOST"
    assert_failure
    assert_output --partial '<** 451 4.3.0'
    run grep -c "warning: .*$INST/access.db is not a Postern table: run postmap $INST/access" \
        "$INST/log/maillog"
    assert_success

    printf 'From:spammer@example.com REJECT\n' > "$INST/access"
    "$BIN/postmap" "$INST/access"
    run sw --from spammer@example.com --to "alice@$HOST"
    assert_failure
    assert_output --partial '<** 550 5.7.1'
}

@test "a virtusertable created after the daemon started routes the next recipient, no restart" {
    start_daemon
    run sw --from sender@example.com --to info@virt.example
    assert_failure
    assert_output --partial '<** 554 5.7.1 <info@virt.example>: Relay access denied'

    printf 'info@virt.example bob\n' > "$INST/virtusertable"
    "$BIN/postmap" "$INST/virtusertable"
    run sw --from sender@example.com --to info@virt.example
    assert_success
    wait_for 10 mail_count_is bob 1
}

@test "a table that follows its file costs one stat per lookup (50 keys: at most 50 + 3 at open)" {
    command -v strace > /dev/null || skip "strace is not installed"
    printf 'k1 one\nk2 two\n' > "$INST/access"
    "$BIN/postmap" "$INST/access"
    seq 1 50 | sed 's/^/k/' > "$BATS_TEST_TMPDIR/keys"
    run strace -f -qq -e trace=%stat,statx -o "$BATS_TEST_TMPDIR/trace" \
        "$BIN/postmap" -q - "hash:$INST/access" < "$BATS_TEST_TMPDIR/keys"
    assert_success
    assert_output $'k1\tone\nk2\ttwo'
    stats=$(grep -c "\"$INST/access.db\"" "$BATS_TEST_TMPDIR/trace")
    # Open: exists, identity, staleness; then one stat(2) per lookup.
    [ "$stats" -ge 50 ] && [ "$stats" -le 53 ] || { echo "stats of access.db: $stats"; false; }
}
