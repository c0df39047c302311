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

# One DeliverRequest (DeliverRequest.writeTo, Java's writeUTF framing) to the local delivery
# service, sent as the mail owner; prints the reply's outcome and how many forwarded copies
# it hands back: "KIND CODE TEXT forwards=N".
ask_local() {
    as $OWNER python3 - "$INST/queue/private/local" "$1" "$2" <<'PY'
import socket, struct, sys
def utf(s):
    b = s.encode()
    return struct.pack('>H', len(b)) + b
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(utf('postern-deliver 3') + utf(sys.argv[2]) + utf(sys.argv[3]) + utf(sys.argv[3])
          + utf('') + struct.pack('>i', 0))
f = s.makefile('rb')
def rd():
    n = struct.unpack('>H', f.read(2))[0]
    return f.read(n).decode()
assert rd() == 'reply'
kind, code, text = rd(), rd(), rd()
for _ in range(struct.unpack('>i', f.read(4))[0]):
    rd()
f.read(1)
print(kind, code, text, 'forwards=%d' % struct.unpack('>i', f.read(4))[0])
PY
}

# A queue file of the mail owner's for RCPT, deferred (relayhost is unreachable): its path.
# The deferred queue file of a message to $1 (logged deferred, then moved to deferred/).
deferred_for() {
    printf 'Subject: %s\n\nsecret\n' "$1" | as $ALICE "$BIN/sendmail" -C "$INST" "$1"
    wait_for 20 in_deferred "$1" >/dev/null
    in_deferred "$1"
}
in_deferred() { grep -l -- "$1" "$INST"/queue/deferred/* 2>/dev/null | head -1 | grep .; }
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
    id=$(basename "$(deferred_for far@example.com)")
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
    # pid/ and local.pid are root's (Postfix keeps pid/ root-owned); nothing else is.
    run find "$INST/queue" -user root ! -path '*/pid/local.pid' ! -path '*/queue/pid'
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

@test "mailq -qL as an ordinary user lists corrupt/'s lost items through the daemon (showq)" {
    src=$(deferred_for lost@example.com)
    qid=$(basename "$src")
    as $OWNER mv "$src" "$INST/queue/corrupt/$qid"
    as $OWNER truncate -s 20 "$INST/queue/corrupt/$qid"
    run --separate-stderr as $BOB "$BIN/mailq" -C "$INST" -qL
    assert_success
    assert_line --index 2 --regexp "^${qid}\\?      20 "
    run --separate-stderr as $BOB "$BIN/mailq" -C "$INST"
    assert_success
    refute_output --partial "$qid"
    as $OWNER rm "$INST/queue/corrupt/$qid"
}

@test "root's local service writes nothing into a mail owner's queue that leads elsewhere" {
    mkdir -m 755 "$PS/rootdir"
    src=$(deferred_for far-a@example.com)
    id=ZZZZZZZ0000AAAAA
    as $OWNER cp "$src" "$INST/queue/active/$id"
    # The mail owner (a network exploit) points incoming/ at a root-owned directory.
    as $OWNER mv "$INST/queue/incoming" "$INST/queue/incoming.away"
    as $OWNER ln -s "$PS/rootdir" "$INST/queue/incoming"
    run ask_local $id far-a@example.com
    as $OWNER rm "$INST/queue/incoming" "$INST/queue/active/$id"
    as $OWNER mv "$INST/queue/incoming.away" "$INST/queue/incoming"
    assert_success
    assert_output --regexp '^sent 2\.0\.0 .* forwards=1$'
    run ls -A "$PS/rootdir"
    assert_output ''
}

@test "root's local service reads a queue file only as the mail owner could" {
    # A valid queue file only root may read, reached through active/ made a symlink.
    src=$(deferred_for far-b@example.com)
    id=ZZZZZZZ0000BBBBB
    mkdir -m 700 "$PS/secret"
    cp "$src" "$PS/secret/$id"
    chown root:root "$PS/secret/$id"
    as $OWNER mv "$INST/queue/active" "$INST/queue/active.away"
    as $OWNER ln -s "$PS/secret" "$INST/queue/active"
    run ask_local $id far-b@example.com
    as $OWNER rm "$INST/queue/active"
    as $OWNER mv "$INST/queue/active.away" "$INST/queue/active"
    assert_success
    assert_output --partial 'deferred 4.3.0 local delivery refused: cannot read queue file'
    assert_output --partial 'Permission denied'
    # A symlink as active/ID itself (to /etc/shadow) is refused without reading it.
    as $OWNER ln -s /etc/shadow "$INST/queue/active/$id"
    run ask_local $id far-b@example.com
    as $OWNER rm "$INST/queue/active/$id"
    assert_output --partial 'is a symbolic link'
    refute_output --partial 'root:'
}

@test "a .forward to a remote address is queued by the daemon, owned by the mail owner" {
    echo far-c@example.com > "$INST/home/$BOB/.forward"
    chown $BOB: "$INST/home/$BOB/.forward"
    printf 'Subject: fwd\n\nhi\n' | as $ALICE "$BIN/sendmail" -C "$INST" $BOB
    wait_for 20 logged 'forwarded as [0-9A-Z]* from=<'
    rm "$INST/home/$BOB/.forward"
    copy=$(grep -o 'forwarded as [0-9A-Z]*' "$INST/log/maillog" | tail -1 | cut -d' ' -f3)
    wait_for 20 logged "$copy: .*to=<far-c@example.com>"
    run stat -c %U $(find "$INST/queue" -name "$copy" ! -path "*/status/*")
    assert_output $OWNER
    run grep "$copy: .*to=<far-c@example.com>" "$INST/log/maillog"
    assert_output --partial 'status=deferred'
}

@test "the mail owner cannot make root write a pid file elsewhere" {
    echo victim > "$PS/victim"
    run stat -c '%U %a' "$INST/queue/pid"
    assert_output 'root 755'
    run as $OWNER ln -s "$PS/victim" "$INST/queue/pid/local.pid.new"
    assert_failure
    # The queue root is the mail owner's: pid/ itself can be renamed away and replaced.
    as $OWNER mv "$INST/queue/pid" "$INST/queue/pid.away"
    as $OWNER mkdir -m 755 "$INST/queue/pid"
    as $OWNER ln -s "$PS/victim" "$INST/queue/pid/local.pid"
    as $OWNER ln -s "$PS/victim" "$INST/queue/pid/master.pid"
    run --separate-stderr "$BIN/postern" -C "$INST" local
    run2_status=$status; run2_err=$stderr
    run --separate-stderr "$BIN/postern" -C "$INST" start
    start_status=$status; start_err=$stderr
    as $OWNER rm -r "$INST/queue/pid"
    as $OWNER mv "$INST/queue/pid.away" "$INST/queue/pid"
    [ "$run2_status" -ne 0 ]
    assert_equal "$run2_err" "postern: fatal: $INST/queue/pid belongs to uid $(id -u $OWNER): pid files need a directory of root's (or of the user running this instance) that nobody else may change; fix it with \"chown root:root $INST/queue/pid; chmod 755 $INST/queue/pid\" (the packages' set-permissions)"
    [ "$start_status" -ne 0 ]
    run cat "$PS/victim"
    assert_output victim
}

@test "root signals no process but the mail owner's daemon by a pid the mail owner wrote" {
    daemon=$(pid_of master)
    printf '%10d\n' "$(pid_of local)" | as $OWNER tee "$INST/queue/pid/master.pid" >/dev/null
    run --separate-stderr "$BIN/postern" -C "$INST" reload
    printf '%10d\n' "$daemon" | as $OWNER tee "$INST/queue/pid/master.pid" >/dev/null
    assert_failure
    assert_equal "$stderr" "postern: fatal: PID $(pid_of local) in $INST/queue/pid/master.pid is not a Postern process of uid $(id -u $OWNER); not signalled"
    run --separate-stderr "$BIN/postern" -C "$INST" reload
    assert_success
    assert_equal "$stderr" "postern: refreshing the Postern mail system"
}

@test "FIFOs a local user puts in maildrop do not stop delivery" {
    rm -f "$INST/mail/$BOB"
    # maildrop/ (1733) lets any user create names; queue-id names are what pickup reads.
    for n in FIFOFIFOFIFO0001 FIFOFIFOFIFO0002; do
        as $ALICE mkfifo -m 644 "$INST/queue/maildrop/$n"
    done
    # ...and keeps swapping a regular file for a FIFO under one name for a while.
    as $ALICE python3 - "$INST/queue/maildrop" <<'PY' &
import os, sys, time
d = sys.argv[1]
end = time.time() + 4
i = 0
while time.time() < end:
    i += 1
    reg, fifo = '%s/.r%d' % (d, i), '%s/.f%d' % (d, i)
    open(reg, 'w').write('x' * 100)
    os.mkfifo(fifo, 0o644)
    os.rename(reg, d + '/FIFOFIFOFIFO0003')
    os.rename(fifo, d + '/FIFOFIFOFIFO0003')
PY
    swapper=$!
    printf 'Subject: through\n\nhi\n' | as $BOB "$BIN/sendmail" -C "$INST" $BOB
    wait $swapper
    printf 'Subject: after\n\nhi\n' | as $BOB "$BIN/sendmail" -C "$INST" $BOB
    wait_for 20 grep -q '^Subject: after' "$INST/mail/$BOB"
    wait_for 20 logged 'maildrop FIFOFIFOFIFO0001: not a regular file: removed'
    run grep -c '^Subject: through' "$INST/mail/$BOB"
    assert_output 1
    run ls "$INST/queue/maildrop"
    refute_output --partial FIFOFIFOFIFO0001
}
