#!/usr/bin/env bats
# Attacks by ordinary local users on root's local delivery (issue 14), reproduced as those
# users against a system-like instance (root only; skipped otherwise): files they cannot
# read stay unread, files they cannot write stay unwritten, and a runaway .forward costs
# only its own mail.

load helpers/common
load helpers/system-instance

OWNER=pstowner
ALICE=pstalice
BOB=pstbob

setup_file() {
    [ "$(id -u)" -eq 0 ] || skip "needs root: real users and uid switches"
    common_setup_file
    system_instance_start $OWNER $ALICE $BOB
    echo 'bob-only secret line' > "$INST/home/$BOB/secret"
    chown $BOB: "$INST/home/$BOB/secret"
    chmod 600 "$INST/home/$BOB/secret"
    mkdir -m 755 "$PS/rootonly"
}

teardown_file() { system_instance_stop; }

teardown() { rm -f "$INST/home/$ALICE/.forward"; }

# alice's .forward, written by alice.
forward() { printf "$1" | as $ALICE tee "$INST/home/$ALICE/.forward" >/dev/null; }

# At least $1 messages have tried alice's file victim150.
tried_last_file() { [ "$(grep -c 'victim150>, orig_to=' "$INST/log/maillog")" -ge "$1" ]; }

send_alice() {
    printf 'Subject: %s\n\nhi\n' "$1" | as $ALICE "$BIN/sendmail" -C "$INST" $ALICE
}

@test "a :include: of /etc/shadow in .forward is read as the user: refused, nothing leaks" {
    forward '\\pstalice\n:include:/etc/shadow\n'
    send_alice shadow
    wait_for 30 logged 'cannot open include file /etc/shadow: Permission denied'
    run grep -c '^root:' "$INST/mail/$ALICE" "$INST/log/maillog"
    refute_output --regexp ':[1-9]'
    run grep -rl "$(head -c 20 /etc/shadow)" "$INST/mail" "$INST/queue" "$INST/log"
    assert_output ''
}

@test "a :include: of another user's 0600 file is refused, its lines never reach a bounce" {
    forward "\\\\pstalice\n:include:$INST/home/$BOB/secret\n"
    send_alice bobsecret
    wait_for 30 logged "cannot open include file $INST/home/$BOB/secret: Permission denied"
    run grep -r 'bob-only secret line' "$INST/mail" "$INST/log" "$INST/queue"
    assert_output ''
}

@test "a .forward symlinked to /etc/shadow is opened as the user and refused" {
    as $ALICE ln -s /etc/shadow "$INST/home/$ALICE/.forward"
    send_alice shadowlink
    wait_for 30 logged 'cannot read forward file .*/.forward: .*Permission denied'
    run grep -c '^root:' "$INST/mail/$ALICE"
    refute_output --regexp '^[1-9]'
}

@test "a /file behind a directory swapped with a link to a root-only directory is never created there" {
    # The issue's race: renameat2(RENAME_EXCHANGE) swaps ~/d with a symlink to a directory
    # alice may not write, while root's delivery creates ~/d/victim.
    as $ALICE mkdir "$INST/home/$ALICE/d"
    as $ALICE ln -s "$PS/rootonly" "$INST/home/$ALICE/l"
    for i in $(seq 1 150); do echo "$INST/home/$ALICE/d/victim$i"; done \
        | as $ALICE tee "$INST/home/$ALICE/.forward" >/dev/null
    as $ALICE python3 - "$INST/home/$ALICE" <<'PY' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
d, l = (os.path.join(sys.argv[1], n).encode() for n in ("d", "l"))
stop = os.path.join(sys.argv[1], "stop")
while not os.path.exists(stop):
    libc.renameat2(-100, d, -100, l, 2)  # RENAME_EXCHANGE
PY
    swapper=$!
    for i in 1 2 3; do send_alice "race $i"; done
    # Every message has tried its last file.
    wait_for 60 tried_last_file 3
    as $ALICE touch "$INST/home/$ALICE/stop"
    wait $swapper
    run ls -A "$PS/rootonly"
    assert_output ''
}

@test "a runaway .forward of include files naming each other is bounded and costs only its own mail" {
    # Each 150-line file includes the other two 50 times each: millions of paths.
    local next=(b c a) after=(c a b) i n=0
    for f in a b c; do
        for i in $(seq 1 150); do
            case $((i % 3)) in
                0) echo ":include:$INST/home/$ALICE/${next[$n]}.list" ;;
                1) echo ":include:$INST/home/$ALICE/${after[$n]}.list" ;;
                2) echo "m$f$i@remote.example" ;;
            esac
        done | as $ALICE tee "$INST/home/$ALICE/$f.list" >/dev/null
        n=$((n + 1))
    done
    forward ":include:$INST/home/$ALICE/a.list\n"
    send_alice runaway
    printf 'Subject: meanwhile\n\nhi\n' | as $BOB "$BIN/sendmail" -C "$INST" $BOB
    wait_for 20 grep -q '^Subject: meanwhile' "$INST/mail/$BOB"
    wait_for 30 logged 'forwarded as'
    run grep -c 'm[abc][0-9]*@remote.example' "$INST/log/maillog"
    refute_output --regexp '^[0-9]{4,}'
}

@test "the mail owner cannot point root's log at another file" {
    "$BIN/postern" -C "$INST" stop
    echo untouched > "$PS/rootonly/target"
    chmod 644 "$PS/rootonly/target"
    as $OWNER mv "$INST/log/maillog" "$INST/log/maillog.old"
    as $OWNER ln -s "$PS/rootonly/target" "$INST/log/maillog"
    "$BIN/postern" -C "$INST" start
    printf 'Subject: logged\n\nhi\n' | as $BOB "$BIN/sendmail" -C "$INST" $BOB
    wait_for 20 grep -q '^Subject: logged' "$INST/mail/$BOB"
    run cat "$PS/rootonly/target"
    assert_output untouched
    "$BIN/postern" -C "$INST" stop
    as $OWNER rm "$INST/log/maillog"
    as $OWNER mv "$INST/log/maillog.old" "$INST/log/maillog"
    "$BIN/postern" -C "$INST" start
}

@test "a maildrop name swapped between a file and a FIFO does not stop delivery" {
    # The issue's attack: pickup looked at a name, then opened it and blocked on a FIFO.
    "$BIN/postern" -C "$INST" stop
    echo 'queue_run_delay = 1s' >> "$INST/main.cf"
    "$BIN/postern" -C "$INST" start
    as $ALICE python3 - "$INST/queue/maildrop" "$PS/stop-swap" <<'PY' &
import ctypes, os, stat, sys
libc = ctypes.CDLL(None, use_errno=True)
name, fifo = (os.path.join(sys.argv[1], n) for n in ("SWAPSWAPSWAP0001", ".swapfifo"))
def is_fifo(p):
    try:
        return stat.S_ISFIFO(os.lstat(p).st_mode)
    except FileNotFoundError:
        return False
while not os.path.exists(sys.argv[2]):
    # One regular file and one FIFO, whatever pickup took away (it moves or removes names).
    if not os.path.lexists(name):
        with open(name, "w") as f:
            f.write("x" * 100)
    if not is_fifo(name) and not is_fifo(fifo):
        if os.path.lexists(fifo):
            os.unlink(fifo)
        os.mkfifo(fifo, 0o644)
    for _ in range(1000):
        libc.renameat2(-100, name.encode(), -100, fifo.encode(), 2)  # RENAME_EXCHANGE
PY
    swapper=$!
    sleep 30 # thirty pickups meet the name (c85f801 hung within them, twice of twice)
    touch "$PS/stop-swap"
    wait $swapper
    printf 'Subject: after the swaps\n\nhi\n' | as $BOB "$BIN/sendmail" -C "$INST" $BOB
    wait_for 20 grep -q '^Subject: after the swaps' "$INST/mail/$BOB"
    "$BIN/postern" -C "$INST" stop
    sed -i '/^queue_run_delay = 1s$/d' "$INST/main.cf"
    "$BIN/postern" -C "$INST" start
}
