#!/usr/bin/env bats
# sendmail(8) front end: submission as sendmail 8 does it (spec a.1-a.8), local delivery
# into mbox (spec g), bounces (spec h). Each test runs against a fresh instance; delivered
# mail is read back with python3's mailbox module (helpers/mbox.py).

load helpers/common

setup_file() {
    common_setup_file
    # A second real account, for the tests that need "another local user" (root only).
    if [ "$(id -u)" -eq 0 ] && command -v useradd >/dev/null && command -v setpriv >/dev/null; then
        OTHER_USER=postern-bats-$$
        if useradd -M -d /nonexistent -s /bin/sh -c 'Carol Bats' "$OTHER_USER"; then
            export OTHER_USER
        else
            unset OTHER_USER
        fi
    fi
}

teardown_file() {
    if [ -n "${OTHER_USER:-}" ]; then
        userdel "$OTHER_USER" || true
    fi
}

setup() { common_setup; }

teardown() {
    # Instances other users must reach live outside the (private) Bats temp directory.
    if [ -n "${SHARED_DIR:-}" ]; then rm -rf "$SHARED_DIR"; fi
}

# as_other CMD...: runs CMD as OTHER_USER (uid, gid and groups), from /.
as_other() {
    (cd / && setpriv --reuid="$OTHER_USER" --regid="$OTHER_USER" --init-groups "$@")
}

# shared_instance: an instance at $INST that OTHER_USER can reach, listing OTHER_USER.
shared_instance() {
    SHARED_DIR=$(mktemp -d /tmp/postern-bats.XXXXXX)
    chmod 755 "$SHARED_DIR"
    INST=$SHARED_DIR/inst
    init_instance "$INST" --user "$OTHER_USER" --user bob
}

# ---------------------------------------------------------------- a.6 legacy invocations

@test "cron: -FCronDaemon -i -B8BITMIME -oem user delivers with From: CronDaemon" {
    printf 'Subject: Cron <root@host> run-parts\nContent-Type: text/plain; charset=UTF-8\n\n%s\n.\nd\xc3\xa9j\xc3\xa0 vu\n' \
        'run-parts: /etc/cron.daily/logrotate exited with return code 1' | write_msg
    run --separate-stderr sm -FCronDaemon -i -B8BITMIME -oem bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob 'Cron <root@host> run-parts' From
    assert_output "CronDaemon <root@$HOST>"
    run mbox_body bob 'Cron <root@host> run-parts'
    assert_output "$(printf 'run-parts: /etc/cron.daily/logrotate exited with return code 1\n.\nd\xc3\xa9j\xc3\xa0 vu')"
}

@test "anacron: -FAnacron -odi user delivers before exiting" {
    printf 'Subject: Anacron job cron.daily\nContent-Type: text/plain; charset="UTF-8"\n\nout\n' | write_msg
    run --separate-stderr sm -FAnacron -odi bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    # No flush: -odi delivered before sendmail exited.
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob 'Anacron job cron.daily' From
    assert_output "Anacron <root@$HOST>"
    run mbox_header bob 'Anacron job cron.daily' Content-Type
    assert_output 'text/plain; charset="UTF-8"'
}

@test "atd: -i user delivers the job output" {
    printf 'Subject: Output from your job 42\n\n.\n..hidden\nFrom the job\n' | write_msg
    run --separate-stderr sm -i bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    run mbox_body bob 'Output from your job 42'
    assert_output "$(printf '.\n..hidden\n>From the job')"
}

@test "mutt: -oem -oi -f alice@host -- bob keeps the From: header and sets the envelope" {
    printf 'From: Alice A <alice@%s>\nTo: bob@%s\nSubject: lunch?\nMIME-Version: 1.0\n\n.\nnoon\n' \
        "$HOST" "$HOST" | write_msg
    run --separate-stderr sm -oem -oi -f "alice@$HOST" -- bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob 'lunch?' From
    assert_output "Alice A <alice@$HOST>"
    run mbox_header bob 'lunch?' Return-Path
    assert_output "<alice@$HOST>"
    run mbox_body bob 'lunch?'
    assert_output "$(printf '.\nnoon')"
}

@test "git send-email: -i -f alice bob sets the envelope sender" {
    printf 'From: Alice <alice@example.org>\nTo: bob\nSubject: [PATCH] fix\nMessage-Id: <patch-1@example.org>\n\n---\n.\n' \
        | write_msg
    run --separate-stderr sm -i -f alice bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    run mbox_envelope bob '[PATCH] fix'
    assert_output --regexp "^alice@$HOST  $CTIME_RE\$"
    run mbox_header bob '[PATCH] fix' Message-Id
    assert_output '<patch-1@example.org>'
}

@test "PHP mail(): -t -i -f alice takes the recipients from To:" {
    printf 'To: bob@%s\nSubject: contact form\nX-PHP-Originating-Script: 33:form.php\n\n.\nthanks\n' \
        "$HOST" | write_msg
    run --separate-stderr sm -t -i -f alice < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 0
    run mbox_header bob 'contact form' Return-Path
    assert_output "<alice@$HOST>"
    run mbox_body bob 'contact form'
    assert_output "$(printf '.\nthanks')"
}

@test "mdadm/logwatch/sudo: -t without -i delivers to the To: and Cc: recipients" {
    printf 'From: mdadm monitoring <root>\nTo: bob\nCc: alice\nSubject: DegradedArray event on /dev/md0\n\nA DegradedArray event had been detected\n' \
        | write_msg
    run --separate-stderr sm -t < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 1
    run mbox_header alice 'DegradedArray event on /dev/md0' From
    assert_output "mdadm monitoring <root@$HOST>"
}

@test "fail2ban: -f 'Fail2Ban <alice>' bob (no -i) takes the address inside the angle brackets" {
    printf 'Subject: [Fail2Ban] sshd: banned 192.0.2.1\nFrom: Fail2Ban <alice>\nTo: bob\n\nHi,\nThe IP 192.0.2.1 has just been banned.\n' \
        | write_msg
    run --separate-stderr sm -f 'Fail2Ban <alice>' bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob '[Fail2Ban] sshd: banned 192.0.2.1' Return-Path
    assert_output "<alice@$HOST>"
}

@test "unattended-upgrades: -oi -t delivers to the To: recipient" {
    printf 'To: bob\nSubject: unattended-upgrades result\nContent-Type: text/plain; charset="utf-8"\n\n.\nPackages upgraded\n' \
        | write_msg
    run --separate-stderr sm -oi -t < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    run mbox_body bob 'unattended-upgrades result'
    assert_output "$(printf '.\nPackages upgraded')"
}

@test "bsd-mailx: -i -m -v -f alice bob delivers before exiting (-v is interactive)" {
    printf 'Subject: from mailx\nTo: bob\n\nhello\n' | write_msg
    run --separate-stderr sm -i -m -v -f alice bob < "$MSG"
    assert_success
    # No flush: -v forces interactive delivery.
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob 'from mailx' Return-Path
    assert_output "<alice@$HOST>"
}

# ---------------------------------------------------------------- a.1 option grammar

@test "sendmail accepts attached and separate option values (-falice, -f alice, -FName, -F Name)" {
    printf 'Subject: attached\n\nx\n' | write_msg
    run sm -odq -falice -FAttached bob < "$MSG"
    assert_success
    printf 'Subject: separate\n\nx\n' | write_msg
    run sm -odq -f alice -F 'Sep Arate' bob < "$MSG"
    assert_success
    flush
    run mbox_header bob attached From
    assert_output "Attached <alice@$HOST>"
    run mbox_header bob separate From
    assert_output "Sep Arate <alice@$HOST>"
}

@test "sendmail accepts a comma-separated recipient list in one argument" {
    printf 'Subject: list\n\nx\n' | write_msg
    run --separate-stderr sm -odq 'bob,alice' < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 1
}

@test "sendmail accepts every flag of sendmail 8's getopt string without error" {
    printf 'Subject: all flags\n\nx\n' | write_msg
    run --separate-stderr sm -Am -Ac -c -s -T -U -n -G -h 5 -L tag -Mxvalue -p smtp:host \
        -X /dev/null -O DeliveryMode=q -D /dev/null -e m -N never -R hdrs -V envid1 \
        -B 7BIT -o7 -o8 -om -r alice -odq -- bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
}

@test "sendmail rejects an unknown flag: 'illegal option -- Z', exit 64, nothing queued" {
    printf 'Subject: z\n\nx\n' | write_msg
    run --separate-stderr sm -Z bob < "$MSG"
    assert_failure 64
    assert_equal "$stderr" "illegal option -- Z"
    assert_equal "$(queue_files)" 0
}

@test "sendmail without recipients and without -t: 'Recipient names must be specified', exit 64" {
    printf 'Subject: none\n\nx\n' | write_msg
    run --separate-stderr sm < "$MSG"
    assert_failure 64
    assert_equal "$stderr" "Recipient names must be specified"
    assert_equal "$(queue_files)" 0
}

# ---------------------------------------------------------------- mbox (spec g)

@test "50 concurrent submissions to one mailbox arrive as 50 whole messages" {
    local i
    for i in $(seq 1 50); do
        {
            printf 'Subject: concurrent %d\n\nMARKER-%d-start\n' "$i" "$i"
            printf 'From line %d inside the body\n' "$i"
            head -c 4000 /dev/zero | tr '\0' 'c'
            printf '\nMARKER-%d-end\n' "$i"
        } > "$BATS_TEST_TMPDIR/m$i"
    done
    for i in $(seq 1 50); do
        (sm -i bob < "$BATS_TEST_TMPDIR/m$i"; echo $? > "$BATS_TEST_TMPDIR/rc$i") &
    done
    wait
    for i in $(seq 1 50); do
        assert_equal "$i:$(cat "$BATS_TEST_TMPDIR/rc$i")" "$i:0"
    done
    flush
    assert_equal "$(mbox_count bob)" 50
    run mbox_py markers "$(mbox_path bob)" 50
    assert_success
    assert_equal "$(queue_files)" 0
}

@test "a body line 'From me' stays inside one message, quoted as '>From me'" {
    printf 'Subject: from line\n\nfirst\nFrom me\nlast\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 1
    run grep -c '^>From me$' "$(mbox_path bob)"
    assert_output 1
    run mbox_body bob 'from line'
    assert_output "$(printf 'first\n>From me\nlast')"
}

@test "delivery writes Postfix's mbox: From_ line with two spaces, Return-Path, X-Original-To, Delivered-To, blank line, mode 0600" {
    printf 'Subject: format\n\nbody\n' | write_msg
    run sm -odq -f alice bob < "$MSG"
    assert_success
    flush
    run head -n 1 "$(mbox_path bob)"
    assert_output --regexp "^From alice@$HOST  $CTIME_RE\$"
    run mbox_headers bob format
    assert_line --index 0 Return-Path
    assert_line --index 1 X-Original-To
    assert_line --index 2 Delivered-To
    run mbox_header bob format Delivered-To
    assert_output "bob@$HOST"
    # The message is followed by one empty line.
    assert_equal "$(tail -c 6 "$(mbox_path bob)" | od -An -c | tr -d ' \n')" 'body\n\n'
    assert_equal "$(stat -c %a "$(mbox_path bob)")" 600
}

@test "each delivery is logged in maillog with its queue id" {
    printf 'Subject: logged\n\nx\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    run grep -E "^.* postern/[a-z]+\[[0-9]+\]: [0-9A-Z]+: to=<bob@$HOST>, .*status=sent" \
        "$INST/log/maillog"
    assert_success
}

@test "a 25 MB message is delivered intact" {
    set_param message_size_limit 0
    "$POSTERN_PY" - "$MSG" <<'EOF'
import sys
with open(sys.argv[1], "wb") as out:
    out.write(b"Subject: big\n\n")
    n = 0
    while n < 25 * 1024 * 1024:
        line = b"%09d " % n + bytes(range(0x21, 0x7f)) * 3 + b"\n"
        out.write(line)
        n += len(line)
EOF
    local want
    want=$("$POSTERN_PY" -c 'import hashlib,sys; d=open(sys.argv[1],"rb").read(); print(hashlib.sha256(d[d.index(b"\n\n")+2:]).hexdigest())' "$MSG")
    run --separate-stderr sm -odq bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_sha256 bob big)" "$want"
}

@test "a message over message_size_limit is refused with a clear message, non-zero exit, nothing queued" {
    set_param message_size_limit 2000
    { printf 'Subject: too big\n\n'; head -c 5000 /dev/zero | tr '\0' 'x'; echo; } | write_msg
    run --separate-stderr sm -odq bob < "$MSG"
    assert_failure
    assert_regex "$stderr" '[Ss]ize'
    assert_equal "$(echo "$stderr" | wc -l)" 1
    assert_equal "$(queue_files)" 0
}

# ---------------------------------------------------------------- a.4 dots

@test "sendmail without -i ends input at a lone dot and strips one leading dot (..x becomes .x)" {
    printf 'Subject: dots\n\nline1\n..x\n...y\n.\nafter the dot\n' | write_msg
    run --separate-stderr sm -odq bob < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    run mbox_body bob dots
    assert_output "$(printf 'line1\n.x\n..y')"
}

@test "sendmail without -i: a lone dot at EOF without newline ends input, exit 0" {
    printf 'Subject: dot eof\n\nline1\n.' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    run mbox_body bob 'dot eof'
    assert_output 'line1'
}

@test "sendmail -i keeps a lone dot and ..x as data" {
    printf 'Subject: dots kept\n\nline1\n..x\n.\nafter the dot\n' | write_msg
    run sm -odq -i bob < "$MSG"
    assert_success
    flush
    run mbox_body bob 'dots kept'
    assert_output "$(printf 'line1\n..x\n.\nafter the dot')"
}

@test "sendmail -oi behaves as -i" {
    printf 'Subject: oi\n\n.\n..x\n' | write_msg
    run sm -odq -oi bob < "$MSG"
    assert_success
    flush
    run mbox_body bob oi
    assert_output "$(printf '.\n..x')"
}

# ---------------------------------------------------------------- bytes

@test "CRLF input is stored as LF, and a CRLF lone dot ends input without -i" {
    printf 'Subject: crlf\r\nX-Test: yes\r\n\r\nl1\r\nl2\r\n.\r\ngone\r\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    run mbox_header bob crlf X-Test
    assert_output yes
    assert_equal "$(mbox_body bob crlf | od -An -c | tr -d ' \n')" 'l1\nl2\n'
    run grep -c $'\r' "$(mbox_path bob)"
    assert_output 0
}

@test "a missing final newline is completed" {
    printf 'Subject: no newline\n\nlast line' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_body bob 'no newline' | od -An -c | tr -d ' \n')" 'lastline\n'
}

@test "8-bit bytes and a NUL byte are kept exactly" {
    printf 'Subject: binary\n\na\x00b\n\xe9t\xe9 \xff\xfe\x80\n\x01\x7f\n' | write_msg
    run sm -odq -B8BITMIME bob < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_body bob binary | od -An -tx1 | tr -d ' \n')" \
        "$(printf 'a\x00b\n\xe9t\xe9 \xff\xfe\x80\n\x01\x7f\n' | od -An -tx1 | tr -d ' \n')"
}

@test "a 20000-byte line is kept whole" {
    { printf 'Subject: long line\n\n'; head -c 20000 /dev/zero | tr '\0' 'L'; printf '\nend\n'; } | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    run mbox_body bob 'long line'
    assert_output "$(head -c 20000 /dev/zero | tr '\0' 'L'; printf '\nend')"
}

# ---------------------------------------------------------------- a.3 -t

@test "-t takes To, Cc and Bcc recipients and removes Bcc from every copy" {
    printf 'To: bob\nCc: alice\nBcc: root\nSubject: to cc bcc\n\nx\n' | write_msg
    run --separate-stderr sm -odq -t < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    local u
    for u in bob alice root; do
        assert_equal "$u:$(mbox_count $u)" "$u:1"
        run mbox_header $u 'to cc bcc' Bcc
        assert_output ''
    done
    run mbox_header root 'to cc bcc' To
    assert_output "bob@$HOST"
}

@test "-t: unqualified header addresses of a local submission get @myorigin, as sendmail and Postfix do" {
    printf 'From: Alice <alice>\nTo: bob, "Smith, Carol" <carol@example.net>,\n\talice (the boss)\nCc: undisclosed-recipients:;\nReply-To: team: alice, <bob>;\nSubject: qualify\nX-Note: bob\n\nTo: bob\n' | write_msg
    run --separate-stderr sm -odq -t < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    run mbox_header bob qualify From
    assert_output "Alice <alice@$HOST>"
    run mbox_header bob qualify To
    # Folded headers stay folded where they were.
    assert_output "$(printf 'bob@%s, "Smith, Carol" <carol@example.net>,\n\talice@%s (the boss)' "$HOST" "$HOST")"
    run mbox_header bob qualify Cc
    assert_output "undisclosed-recipients:;"
    run mbox_header bob qualify Reply-To
    assert_output "team: alice@$HOST, <bob@$HOST>;"
    run mbox_header bob qualify X-Note
    assert_output bob
    run mbox_py body "$(mbox_path bob)" qualify
    assert_output 'To: bob'
}

@test "append_at_myorigin = no leaves header addresses as written" {
    set_param append_at_myorigin no
    printf 'To: bob\nSubject: as is\n\nx\n' | write_msg
    run sm -odq -t < "$MSG"
    assert_success
    flush
    run mbox_header bob 'as is' To
    assert_output bob
}

@test "Bcc is removed from the stored message also without -t" {
    printf 'To: bob\nBcc: alice\nSubject: bcc no t\n\nx\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_count alice)" 0
    run mbox_header bob 'bcc no t' Bcc
    assert_output ''
}

@test "-t with Resent-To delivers only to the Resent- recipients and drops Resent-Bcc" {
    printf 'To: bob\nSubject: resent\nResent-To: alice\nResent-Bcc: root\n\nx\n' | write_msg
    run sm -odq -t < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 0
    assert_equal "$(mbox_count alice)" 1
    assert_equal "$(mbox_count root)" 1
    run mbox_header alice resent Resent-Bcc
    assert_output ''
    run mbox_header alice resent To
    assert_output "bob@$HOST"
}

@test "-t takes the union of header recipients and argv recipients" {
    printf 'To: bob\nSubject: union\n\nx\n' | write_msg
    run sm -odq -t alice < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 1
}

@test "-t with the same recipient in To: and argv delivers one copy" {
    printf 'To: bob\nSubject: once\n\nx\n' | write_msg
    run sm -odq -t bob < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 1
}

@test "-t with only 'undisclosed-recipients:;': 'No recipient addresses found in header', exit 0, nothing queued" {
    printf 'To: undisclosed-recipients:;\nSubject: nobody\n\nx\n' | write_msg
    run --separate-stderr sm -odq -t < "$MSG"
    assert_success
    assert_equal "$stderr" "No recipient addresses found in header"
    assert_equal "$(queue_files)" 0
}

@test "-t parses quoted display names containing commas" {
    printf 'To: "Doe, John" <bob@%s>, "Liddell, Alice" <alice>\nCc: undisclosed:;\nSubject: quoted\n\nx\n' \
        "$HOST" | write_msg
    run --separate-stderr sm -odq -t < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 1
    run mbox_header bob quoted To
    assert_output "\"Doe, John\" <bob@$HOST>, \"Liddell, Alice\" <alice@$HOST>"
}

@test "-t with an unknown header recipient exits 67 and still delivers to the known one" {
    printf 'To: bob, nosuchuser\nSubject: partly\n\nx\n' | write_msg
    run --separate-stderr sm -odq -oeq -t < "$MSG"
    assert_failure 67
    flush
    assert_equal "$(mbox_count bob)" 1
}

# ---------------------------------------------------------------- a.7 header completion

@test "header completion adds Date, From, Message-ID and Received, and no To:" {
    printf 'Subject: bare\n\nx\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    run mbox_header bob bare Date
    assert_output --regexp '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [-+][0-9]{4}'
    run mbox_header bob bare From
    assert_output "root <root@$HOST>"
    run mbox_header bob bare Message-ID
    assert_output --regexp "^<[^<>@ ]+@$HOST>\$"
    run mbox_header bob bare Received
    assert_output --regexp "^by $HOST "
    run mbox_header bob bare To
    assert_output ''
    run mbox_header bob bare Cc
    assert_output ''
}

@test "header completion takes the full name from the submitter's GECOS (before the first comma)" {
    sed -i 's/^root:x:\([0-9]*\):\([0-9]*\):[^:]*:/root:x:\1:\2:Charlie Root,Room 1,,:/' "$INST/users"
    printf 'Subject: gecos\n\nx\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    run mbox_header bob gecos From
    assert_output "Charlie Root <root@$HOST>"
}

@test "-F sets the full name of the added From:" {
    printf 'Subject: full name\n\nx\n' | write_msg
    run sm -odq -F 'Backup Robot' bob < "$MSG"
    assert_success
    flush
    run mbox_header bob 'full name' From
    assert_output "Backup Robot <root@$HOST>"
}

@test "an existing From: is kept and -F is not used" {
    printf 'From: Someone <some@example.org>\nSubject: has from\n\nx\n' | write_msg
    run sm -odq -F Ignored bob < "$MSG"
    assert_success
    flush
    run mbox_header bob 'has from' From
    assert_output 'Someone <some@example.org>'
}

@test "-f by the instance owner adds no X-Authentication-Warning" {
    printf 'Subject: owner f\n\nx\n' | write_msg
    run sm -odq -f alice bob < "$MSG"
    assert_success
    flush
    run mbox_header bob 'owner f' X-Authentication-Warning
    assert_output ''
    run mbox_header bob 'owner f' Return-Path
    assert_output "<alice@$HOST>"
}

@test "-f by a user other than root or the instance owner adds X-Authentication-Warning" {
    [ -n "${OTHER_USER:-}" ] || skip "needs root (useradd, setpriv) to act as a second real user"
    shared_instance
    printf 'Subject: other f\n\nx\n' | write_msg
    run --separate-stderr as_other "$BIN/sendmail" -C "$INST" -odq -f bob "$OTHER_USER" < "$MSG"
    local sub_status=$status sub_stderr=$stderr
    flush
    run mbox_header "$OTHER_USER" 'other f' X-Authentication-Warning
    assert_output "$HOST: $OTHER_USER set sender to bob@$HOST using -f"
    run mbox_header "$OTHER_USER" 'other f' Return-Path
    assert_output "<bob@$HOST>"
    # The submission itself must have succeeded.
    assert_equal "status=$sub_status stderr=$sub_stderr" "status=0 stderr="
}

@test "root instance: another local user submits with -C DIR; root's -q creates their mailbox owned by them, 0600" {
    [ -n "${OTHER_USER:-}" ] || skip "needs root (useradd, setpriv) to act as a second real user"
    shared_instance
    printf 'Subject: from carol\n\nhello\n' | write_msg
    run --separate-stderr as_other "$BIN/sendmail" -C "$INST" -i "$OTHER_USER" bob < "$MSG"
    local sub_status=$status sub_stderr=$stderr
    flush
    assert_equal "$(mbox_count "$OTHER_USER")" 1
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(stat -c '%U %a' "$(mbox_path "$OTHER_USER")")" "$OTHER_USER 600"
    run mbox_header bob 'from carol' From
    assert_output "Carol Bats <$OTHER_USER@$HOST>"
    run mbox_header bob 'from carol' Return-Path
    assert_output "<$OTHER_USER@$HOST>"
    # The submission must have said "accepted" (exit 0, silent): the message was queued.
    assert_equal "status=$sub_status stderr=$sub_stderr" "status=0 stderr="
}

# ---------------------------------------------------------------- a.8 exit codes

@test "unknown local user: 'NAME... User unknown', exit 67, 'Saved message in ~/dead.letter' (-oep default)" {
    printf 'Subject: lost\n\nkeep me\n' | write_msg
    run --separate-stderr sm -odq nosuchuser < "$MSG"
    assert_failure 67
    local dead=$INST/home/root/dead.letter
    assert_equal "$stderr" "nosuchuser... User unknown
$dead... Saved message in $dead"
    assert_equal "$(queue_files)" 0
    assert_equal "$(mbox_py count "$dead")" 1
    run mbox_py body "$dead" lost
    assert_output 'keep me'
    run head -n 1 "$dead"
    assert_output --regexp "^From root $CTIME_RE\$"
}

@test "-oeq: unknown local user exits 67 silently, no dead.letter" {
    printf 'Subject: quiet\n\nx\n' | write_msg
    run --separate-stderr sm -odq -oeq nosuchuser < "$MSG"
    assert_failure 67
    assert_equal "$stderr" ""
    assert_equal "$output" ""
    assert [ ! -e "$INST/home/root/dead.letter" ]
}

@test "-oem: unknown local user exits 67 and a DSN (multipart/report) reaches the sender" {
    printf 'Subject: mailed back\n\nx\n' | write_msg
    run --separate-stderr sm -oem nosuchuser < "$MSG"
    assert_failure 67
    assert_equal "$stderr" ""
    assert [ ! -e "$INST/home/root/dead.letter" ]
    flush
    assert_equal "$(mbox_count root)" 1
    run mbox_report root
    assert_line 'report-type=delivery-status'
    assert_line --regexp '^Final-Recipient: rfc822; nosuchuser'
    assert_line 'Action: failed'
    assert_line --regexp '^Status: 5\.1\.1$'
    assert_line 'Returned-Subject: mailed back'
}

@test "-oee: unknown local user exits 0 and a DSN reaches the sender" {
    printf 'Subject: exit zero\n\nx\n' | write_msg
    run --separate-stderr sm -oee nosuchuser < "$MSG"
    assert_success
    flush
    run mbox_report root
    assert_line 'report-type=delivery-status'
    assert_line 'Action: failed'
}

@test "an unknown user among good ones: exit 67, the good recipients still get the message" {
    printf 'Subject: mixed\n\nx\n' | write_msg
    run --separate-stderr sm -odq bob nosuchuser alice < "$MSG"
    assert_failure 67
    assert_equal "$stderr" "nosuchuser... User unknown
$INST/home/root/dead.letter... Saved message in $INST/home/root/dead.letter"
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 1
}

@test "bad address syntax: 'a@@b... Invalid route address', exit 64, nothing queued" {
    printf 'Subject: syntax\n\nx\n' | write_msg
    run --separate-stderr sm -odq 'a@@b' < "$MSG"
    assert_failure 64
    assert_equal "$stderr" "a@@b... Invalid route address
$INST/home/root/dead.letter... Saved message in $INST/home/root/dead.letter"
    assert_equal "$(queue_files)" 0
    assert_equal "$(mbox_py count "$INST/home/root/dead.letter")" 1
}

@test "-odq leaves the message in mailq until the queue is run" {
    printf 'Subject: queued\n\nx\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    assert_equal "$(queue_total)" 1
    assert_equal "$(mbox_count bob)" 0
    flush
    assert_equal "$(queue_total)" 0
    assert_equal "$(mbox_count bob)" 1
}

@test "a remote recipient is accepted and stays queued (deferred)" {
    printf 'Subject: remote\n\nx\n' | write_msg
    run --separate-stderr sm -odq someone@example.com < "$MSG"
    assert_success
    assert_equal "$stderr" ""
    flush
    assert_equal "$(queue_total)" 1
    run mq
    assert_line $'\t\t\t\t\t someone@example.com'
}

@test "-C pointing to a directory without main.cf exits 78" {
    mkdir "$BATS_TEST_TMPDIR/empty"
    printf 'Subject: nocf\n\nx\n' | write_msg
    run --separate-stderr "$BIN/sendmail" -C "$BATS_TEST_TMPDIR/empty" bob < "$MSG"
    assert_failure 78
    assert_regex "$stderr" 'main\.cf'
}

@test "POSTERN_CONFIG=DIR selects the instance like -C DIR" {
    printf 'Subject: by env\n\nx\n' | write_msg
    POSTERN_CONFIG=$INST run "$BIN/sendmail" -odq bob < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 1
}

@test "-f '<>' submits with the null sender" {
    printf 'Subject: null sender\n\nx\n' | write_msg
    run sm -odq -f '<>' bob < "$MSG"
    assert_success
    flush
    run mbox_header bob 'null sender' Return-Path
    assert_output '<>'
    run mbox_envelope bob 'null sender'
    assert_output --regexp "^MAILER-DAEMON  $CTIME_RE\$"
}

@test "-bv reports deliverable and unknown addresses sendmail-style" {
    run --separate-stderr sm -bv bob nosuchuser
    assert_output "$(printf 'bob... deliverable: mailer local, user bob\nnosuchuser... User unknown')"
    assert_equal "$(queue_files)" 0
}

# ---------------------------------------------------------------- delivery failures

@test "mailbox is a directory at delivery: a multipart/report bounce reaches the sender" {
    printf 'Subject: to a directory\n\nx\n' | write_msg
    run sm -odq -f alice bob < "$MSG"
    assert_success
    mkdir "$(mbox_path bob)"
    flush
    assert_equal "$(queue_files)" 0
    assert_equal "$(mbox_count alice)" 1
    run mbox_report alice
    assert_line 'report-type=delivery-status'
    assert_line --regexp "^Final-Recipient: rfc822; bob(@$HOST)?\$"
    assert_line 'Action: failed'
    assert_line --regexp '^Status: 5\.[0-9]+\.[0-9]+$'
    assert_line 'Returned-Subject: to a directory'
}

@test "a bounce is never bounced: a null-sender message that fails goes to the postmaster" {
    printf 'Subject: bounce of bounce\n\nx\n' | write_msg
    run sm -odq -f '<>' bob < "$MSG"
    assert_success
    mkdir "$(mbox_path bob)"
    flush
    assert_equal "$(queue_files)" 0
    # postmaster is the instance owner (postern init's aliases): one notice, no loop.
    local owner
    owner=$(id -un)
    run find "$INST/mail" -type f
    assert_output "$INST/mail/$owner"
    run mbox_report "$owner"
    assert_line 'report-type=delivery-status'
    assert_line 'Action: failed'
    run grep -E 'status=bounced' "$INST/log/maillog"
    assert_success
    run grep -E 'sender is null: undeliverable bounce sent to the postmaster' "$INST/log/maillog"
    assert_success
}

@test "a held mailbox lock defers delivery; the next run after the lock goes delivers once" {
    set_param deliver_lock_attempts 1
    set_param deliver_lock_delay 1s
    touch "$(mbox_path bob).lock"
    printf 'Subject: locked\n\nx\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    flush
    assert_equal "$(queue_total)" 1
    run mq
    assert_line --regexp '^ {17}\(Deferred: .*lock.*\)$'
    assert_equal "$(mbox_count bob)" 0
    rm "$(mbox_path bob).lock"
    flush
    assert_equal "$(queue_total)" 0
    assert_equal "$(mbox_count bob)" 1
}

@test "more Received: headers than hopcount_limit bounce the message" {
    {
        printf 'Subject: loop\n'
        for i in $(seq 1 60); do printf 'Received: from h%d by x; Mon, 1 Jan 2024 00:00:00 +0000\n' "$i"; done
        printf '\nx\n'
    } | write_msg
    run sm -odq -f alice bob < "$MSG"
    flush
    assert_equal "$(mbox_count bob)" 0
    run mbox_report alice
    assert_line 'Action: failed'
}

# ---------------------------------------------------------------- argv[0] dispatch

@test "argv[0] dispatch: a symlink named mailq to sendmail prints the queue listing" {
    mkdir "$BATS_TEST_TMPDIR/links"
    ln -s "$BIN/sendmail" "$BATS_TEST_TMPDIR/links/mailq"
    run --separate-stderr "$BATS_TEST_TMPDIR/links/mailq" -C "$INST"
    assert_success
    assert_output "$(printf '%s/queue is empty\n\t\tTotal requests: 0' "$INST")"
}

@test "argv[0] dispatch: a symlink named newaliases to sendmail acts as sendmail -bi" {
    mkdir "$BATS_TEST_TMPDIR/links"
    ln -s "$BIN/sendmail" "$BATS_TEST_TMPDIR/links/newaliases"
    run --separate-stderr sm -bi < /dev/null
    local bi_status=$status bi_stderr=${stderr//sendmail/newaliases}
    run --separate-stderr "$BATS_TEST_TMPDIR/links/newaliases" -C "$INST" < /dev/null
    assert_equal "$status" "$bi_status"
    assert_equal "$stderr" "$bi_stderr"
    refute_regex "$stderr" 'Recipient names must be specified'
}

# ---------------------------------------------------------------- option corner cases

@test "-q with a time too large to count: 'Invalid time value', exit 64, no stack trace" {
    run --separate-stderr sm -q99999999999999999999m
    assert_failure 64
    assert_output ''
    assert_equal "$stderr" 'Invalid time value `99999999999999999999m'"'"
}

@test "a bare -C reads the configuration in the current directory (sendmail: ./sendmail.cf)" {
    cd "$INST"
    run --separate-stderr "$BIN/sendmail" -C -bv bob
    assert_success
    assert_output 'bob... deliverable: mailer local, user bob'
    assert_equal "$stderr" ''
}

@test "-oQ is ignored, as Postfix ignores it: the message goes into the instance's queue" {
    printf 'Subject: oq\n\nx\n' | write_msg
    run --separate-stderr sm -odq "-oQ$BATS_TEST_TMPDIR/elsewhere" bob < "$MSG"
    assert_success
    assert_equal "$stderr" ''
    assert [ ! -e "$BATS_TEST_TMPDIR/elsewhere" ]
    flush
    assert_equal "$(mbox_count bob)" 1
}

@test "-oew without a terminal mails the error back and exits 67, as sendmail's -oew does (= -oem)" {
    printf 'Subject: written back\n\nx\n' | write_msg
    run --separate-stderr sm -oew nosuchuser < "$MSG"
    assert_failure 67
    assert_equal "$stderr" ""
    assert [ ! -e "$INST/home/root/dead.letter" ]
    flush
    run mbox_report root
    assert_line 'report-type=delivery-status'
    assert_line 'Returned-Subject: written back'
}
