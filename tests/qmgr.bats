#!/usr/bin/env bats
# The queue manager's scheduling in the daemon (issue 14, item 6): a slow delivery to one
# user (.forward "|sleep 30") occupies one delivery slot and delays only its own mail; other
# users' mail arriving meanwhile is delivered at once, and so is the copy for another user of
# the same message; the daemon still stops promptly.

load helpers/common

setup_file() { common_setup_file; }

setup() {
    private_tmpdirs
    common_setup
}

teardown() {
    "$BIN/postern" -C "$INST" stop > /dev/null 2>&1 || true
}


mail_count_is() { [ "$(mbox_count "$1")" -eq "$2" ]; }

@test "a slow .forward command delays only its own user's mail, not everyone's" {
    printf '"|sleep 30"\n' > "$INST/home/alice/.forward"
    chmod 644 "$INST/home/alice/.forward"
    pc start 2> /dev/null
    printf 'Subject: to alice\n\nslow\n' | sm alice
    wait_for 10 grep -q "postern/local.*exec.*sleep 30\|queue active" "$INST/log/maillog"
    local start=$SECONDS i
    for i in 1 2 3; do
        printf 'Subject: to bob %s\n\nquick\n' "$i" | sm bob
    done
    wait_for 5 mail_count_is bob 3
    # alice's delivery is still running (its sleep has 20+ seconds to go).
    [ $((SECONDS - start)) -lt 10 ]
    [ "$(find "$INST/queue/active" -type f | wc -l)" -eq 1 ]
    ! grep -q 'to=<alice@' "$INST/log/maillog"
    # A stop does not wait for the sleep: deliveries in progress get a short grace only.
    start=$SECONDS
    run --separate-stderr pc stop
    assert_success
    [ $((SECONDS - start)) -lt 25 ]
}

@test "one message to a slow user and another: the other's copy does not wait for the slow one" {
    printf '"|sleep 30"\n' > "$INST/home/alice/.forward"
    chmod 644 "$INST/home/alice/.forward"
    pc start 2> /dev/null
    local start=$SECONDS
    printf 'Subject: to both\n\nquick for one\n' | sm alice bob
    wait_for 5 mail_count_is bob 1
    [ $((SECONDS - start)) -lt 10 ]
    wait_for 5 grep -q 'to=<bob@.*status=sent' "$INST/log/maillog"
    # alice's delivery still runs: the message waits in active/ and is not finished.
    [ "$(find "$INST/queue/active" -type f | wc -l)" -eq 1 ]
    ! grep -q 'to=<alice@' "$INST/log/maillog"
    ! grep -q ': removed' "$INST/log/maillog"
    run --separate-stderr pc stop
    assert_success
}
