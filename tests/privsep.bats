#!/usr/bin/env bats
# Privilege separation of a system-like instance, with real users and real uid switches
# (root only; skipped otherwise): the daemon runs as the mail owner with CAP_NET_BIND_SERVICE
# alone, local delivery runs in root's separate service, |command deliveries run as the
# recipient (or default_privs for aliases), and no user reads another's queue or mailbox.

load helpers/common

OWNER=pstowner
ALICE=pstalice
BOB=pstbob

setup_file() {
    [ "$(id -u)" -eq 0 ] || skip "needs root: real users and setpriv"
    common_setup_file
    for u in $OWNER $ALICE $BOB; do
        id -u "$u" >/dev/null 2>&1 || useradd -M -s /bin/sh "$u"
    done
    # Every user must reach the instance: not under bats' private temp directory.
    PS=$(mktemp -d /tmp/postern-privsep.XXXXXX)
    chmod 755 "$PS"
    INST=$PS/inst
    export PS INST
    "$BIN/postern" init "$INST" --user $ALICE --user $BOB >/dev/null
    # As the packaged main.cf has it: a mail owner, default_privs nobody, the local service.
    sed -i '/^mail_owner = /d; /^default_privs = /d' "$INST/main.cf"
    PORT=$(python3 -c 'import socket
for p in range(640, 1000):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: s.close()')
    export PORT
    cat >> "$INST/main.cf" <<EOF
mail_owner = $OWNER
default_privs = nobody
local_delivery_service = yes
relayhost = [127.0.0.1]:1
smtpd_listen = 127.0.0.1:$PORT
EOF
    echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >> "$INST/users"
    printf 'ids: "|/usr/bin/id > %s/out/alias-id"\n' "$PS" >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST"
    chown -R $OWNER: "$INST/queue" "$INST/log"
    mkdir -m 1777 "$PS/out"
    echo root-owned > "$PS/out/rootfile"
    chmod 644 "$PS/out/rootfile"
    printf '"|/usr/bin/id > %s/out/alice-id"\n' "$PS" > "$INST/home/$ALICE/.forward"
    chown $ALICE: "$INST/home/$ALICE/.forward"
    "$BIN/postern" -C "$INST" start
}

teardown_file() {
    [ -n "${INST:-}" ] || return 0
    "$BIN/postern" -C "$INST" stop >/dev/null 2>&1 || true
    rm -rf "$PS"
}

as() { local u=$1; shift; runuser -u "$u" -- "$@"; }

logged() { grep -q -- "$1" "$INST/log/maillog"; }
pid_of() { tr -d ' \n' < "$INST/queue/pid/$1.pid"; }

@test "the daemon runs as the mail owner with CAP_NET_BIND_SERVICE only; local delivery as root" {
    run ps -o user= -p "$(pid_of master)"
    assert_output $OWNER
    run grep '^CapEff:' "/proc/$(pid_of master)/status"
    assert_output $'CapEff:\t0000000000000400'
    run ps -o user= -p "$(pid_of local)"
    assert_output root
    # Port $PORT is below 1024: only the capability lets the mail owner bind it.
    run python3 -c "import socket; s = socket.create_connection(('127.0.0.1', $PORT), 5); print(s.recv(200).decode().split()[0])"
    assert_output 220
}

@test "a |command in .forward runs as the recipient" {
    printf 'Subject: id\n\nhi\n' | as $ALICE "$BIN/sendmail" -C "$INST" $ALICE
    wait_for 20 test -s "$PS/out/alice-id"
    run cat "$PS/out/alice-id"
    assert_output "uid=$(id -u $ALICE)($ALICE) gid=$(id -g $ALICE)($ALICE) groups=$(id -g $ALICE)($ALICE)"
}

@test "a .forward pipe cannot write a root-owned file" {
    printf '"|/bin/sh -c \\"echo pwned >> %s/out/rootfile\\""\n' "$PS" > "$INST/home/$BOB/.forward"
    chown $BOB: "$INST/home/$BOB/.forward"
    printf 'Subject: pwn\n\nhi\n' | as $BOB "$BIN/sendmail" -C "$INST" $BOB
    wait_for 20 logged 'out/rootfile">, orig_to=<pstbob@'
    run grep 'out/rootfile">, orig_to=<pstbob@' "$INST/log/maillog"
    assert_output --partial 'status=bounced (Command died with status 2'
    assert_output --partial 'Permission denied'
    run cat "$PS/out/rootfile"
    assert_output root-owned
    rm "$INST/home/$BOB/.forward"
}

@test "an alias |command runs as default_privs (nobody), not as root" {
    printf 'Subject: alias\n\nhi\n' | as $BOB "$BIN/sendmail" -C "$INST" ids
    wait_for 20 test -s "$PS/out/alias-id"
    run cut -d' ' -f1 "$PS/out/alias-id"
    assert_output 'uid=65534(nobody)'
}

@test "mailboxes are their user's, mode 0600, and another user cannot read them" {
    printf 'Subject: private\n\nsecret\n' | as $ALICE "$BIN/sendmail" -C "$INST" $BOB
    wait_for 20 grep -q '^Subject: private' "$INST/mail/$BOB"
    run stat -c '%U %a' "$INST/mail/$BOB"
    assert_output "$BOB 600"
    run as $ALICE cat "$INST/mail/$BOB"
    assert_failure
    assert_output --partial 'Permission denied'
}

@test "a local user cannot read another's queued message" {
    printf 'Subject: queued\n\nsecret\n' | as $ALICE "$BIN/sendmail" -C "$INST" far@example.com
    wait_for 20 logged 'to=<far@example.com>.*status=deferred'
    id=$(ls "$INST/queue/deferred" | head -1)
    [ -n "$id" ]
    run as $BOB cat "$INST/queue/deferred/$id"
    assert_failure
    assert_output --partial 'Permission denied'
    run as $BOB ls "$INST/queue/deferred" "$INST/queue/maildrop" "$INST/queue/incoming"
    assert_failure
    run as $BOB "$BIN/postern" -C "$INST" queue show "$id"
    assert_failure
    refute_output --partial 'secret'
}

@test "the local delivery socket takes requests from the mail owner only" {
    run as $BOB python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('$INST/queue/private/local')"
    assert_failure
    assert_output --partial 'Permission denied'
    # root can reach the socket, but is not the mail owner: refused and logged.
    run python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('$INST/queue/private/local'); print(repr(s.recv(100)))"
    assert_success
    assert_output "b''"
    wait_for 5 logged 'refused a local delivery request from user root: only pstowner may ask'
}

@test "root's queue run and queue changes run as the mail owner" {
    run "$BIN/sendmail" -C "$INST" -q
    assert_success
    run "$BIN/postern" -C "$INST" queue list
    assert_success
    run find "$INST/queue" -user root ! -path '*/pid/local.pid'
    assert_output ''
}

@test "root cannot run the daemon in the foreground on the mail owner's queue" {
    run --separate-stderr "$BIN/postern" -C "$INST" start --foreground
    assert_failure 77
    assert_equal "$stderr" "postern: fatal: the queue belongs to uid $(id -u $OWNER): root starts the daemon with \"postern start\" (or postern.service), which runs it as that user"
}

@test "status reports the daemon and the local delivery service" {
    run --separate-stderr "$BIN/postern" -C "$INST" status
    assert_success
    assert_equal "$stderr" "postern: the Postern mail system is running: PID: $(pid_of master)
postern: the local delivery service is running: PID: $(pid_of local)"
}

@test "mailq as an ordinary user lists the mail owner's queue through the daemon (showq)" {
    printf 'Subject: listed\n\nsecret\n' | as $ALICE "$BIN/sendmail" -C "$INST" list@example.com
    wait_for 20 logged 'to=<list@example.com>.*status=deferred'
    run as $BOB ls "$INST/queue/deferred"
    assert_failure
    run --separate-stderr as $BOB "$BIN/mailq" -C "$INST"
    assert_success
    assert_output --partial 'list@example.com'
    assert_output --regexp "Total requests: [0-9]+"
    refute_output --partial 'secret'
    run as $BOB "$BIN/sendmail" -C "$INST" -bP
    assert_success
    assert_output --regexp "^$INST/queue: entries=[1-9][0-9]*$"
}
