#!/usr/bin/env bats
# Where a local user's mail goes once aliases and .forward are done (Postfix local(8)):
# mailbox_command and mailbox_command_maps with a real procmail (Debian's sendmail delivers
# through procmail), home_mailbox as a Maildir (read by python3's mailbox and by mutt) or
# as an mbox in the home directory, their order, and bad settings. Mail comes from bob;
# alice's stores are read back, never grepped alone.

load helpers/common
load helpers/dovecot

setup_file() { common_setup_file; }

setup() {
    private_tmpdirs
    common_setup
    H=$INST/home/alice
    SCRIPTS=$BATS_TEST_TMPDIR/bin
    mkdir -p "$SCRIPTS"
}

PROCMAIL='/usr/bin/procmail -a "$EXTENSION" $HOME/.procmailrc'

maillog() { cat "$INST/log/maillog"; }

# send SUBJECT RCPT...: a message from bob whose body starts with "From " (quoted in mbox).
send() {
    local subject=$1
    shift
    printf 'Subject: %s\n\nFrom the body of %s\n' "$subject" "$subject" | sm -odq -f bob "$@"
}

# procmailrc < recipes: alice's ~/.procmailrc; every folder, the log and the default
# mailbox are under ~/Mail, so procmail never writes outside the instance.
procmailrc() {
    mkdir -p "$H/Mail"
    {
        printf 'MAILDIR=%s\nDEFAULT=%s\nORGMAIL=%s\nLOGFILE=%s\n' \
            "$H/Mail" "$H/Mail/inbox" "$H/Mail/inbox" "$H/Mail/procmail.log"
        cat
    } > "$H/.procmailrc"
}

# command_for USER COMMAND: USER's entry in mailbox_command_maps (a texthash table).
command_for() {
    printf '%s %s\n' "$1" "$2" >> "$INST/mailbox_commands"
    grep -q '^mailbox_command_maps' "$INST/main.cf" \
        || set_param mailbox_command_maps "texthash:$INST/mailbox_commands"
}

# dump_script: a command writing its environment to $1.env and its input to $1.in.
dump_script() {
    cat > "$SCRIPTS/dump" <<'EOF'
#!/bin/sh
for v in HOME USER LOGNAME SHELL SENDER RECIPIENT EXTENSION DOMAIN LOCAL ORIGINAL_RECIPIENT PATH; do
    eval "echo $v=\${$v-(unset)}"
done > "$1.env"
cat > "$1.in"
EOF
    chmod 755 "$SCRIPTS/dump"
    echo "$SCRIPTS/dump"
}

# mutt_copy MAILDIR COPY: mutt opens MAILDIR and copies every message into the new maildir
# COPY (an mbox copy from mutt would carry Content-Length and unquoted From_ lines).
mutt_copy() {
    printf 'set mbox_type=Maildir\nset confirmcreate=no\nset confirmappend=no\nset quit=yes\nset mark_old=no\nset move=no\n' \
        > "$BATS_TEST_TMPDIR/muttrc"
    TERM=vt100 timeout 20 script -qec "mutt -n -F $BATS_TEST_TMPDIR/muttrc -f $1 -e 'push \"<tag-pattern>~A<enter><tag-prefix><copy-message>$2<enter><quit>\"'" /dev/null >/dev/null
}

# ---------------------------------------------------------------- mailbox_command

@test "mailbox_command: procmail files a message into the folder .procmailrc names, the rest into its DEFAULT" {
    set_param mailbox_command "$PROCMAIL"
    printf ':0\n* ^Subject:.*report\nreports/\n' | procmailrc
    send 'daily report' alice
    send 'other' alice
    flush
    run mbox_py count "$H/Mail/reports"
    assert_output 1
    run mbox_py header "$H/Mail/reports" 'daily report' Delivered-To
    assert_output "alice@$HOST"
    run mbox_py header "$H/Mail/reports" 'daily report' Return-Path
    assert_output "<bob@$HOST>"
    run mbox_py count "$H/Mail/inbox"
    assert_output 1
    run mbox_py envelope "$H/Mail/inbox" other
    assert_output --regexp "^bob@$HOST  $CTIME_RE\$"
    run mbox_py body "$H/Mail/inbox" other
    assert_output '>From the body of other'
    run maillog
    assert_line --regexp "to=<alice@$HOST>, relay=local, .*dsn=2\\.0\\.0, status=sent \\(delivered to command: /usr/bin/procmail -a \"\\\$EXTENSION\" \\\$HOME/.procmailrc\\)\$"
    [ ! -e "$(mbox_path alice)" ]
}

@test "mailbox_command runs in the recipient's home with Postfix's environment and the From_ line first" {
    local out=$BATS_TEST_TMPDIR/out
    set_param mailbox_command "$(dump_script) $out"
    send 'env' alice+list@"$HOST"
    flush
    run cat "$out.env"
    assert_output "HOME=$H
USER=alice
LOGNAME=alice
SHELL=/bin/sh
SENDER=bob@$HOST
RECIPIENT=alice+list@$HOST
EXTENSION=list
DOMAIN=$HOST
LOCAL=alice+list
ORIGINAL_RECIPIENT=alice+list@$HOST
PATH=/usr/bin:/bin"
    run sed -n '1p;2,4s/^\([A-Za-z-]*\):.*/\1/p' "$out.in"
    assert_line --index 0 --regexp "^From bob@$HOST  $CTIME_RE\$"
    assert_line --index 1 'Return-Path'
    assert_line --index 2 'X-Original-To'
    assert_line --index 3 'Delivered-To'
    run grep -c '^From the body of env$' "$out.in"
    assert_output 1
}

@test "procmail exiting EX_TEMPFAIL (75) defers: the message stays queued" {
    command_for alice "$PROCMAIL"
    printf 'EXITCODE=75\n:0\n/dev/null\n' | procmailrc
    send 'busy' alice
    flush
    assert_equal "$(queue_total)" 1
    run maillog
    assert_line --regexp "to=<alice@$HOST>, relay=local, .*dsn=4\\.[0-9.]+, status=deferred "
    [ "$(mbox_count bob)" -eq 0 ]
}

@test "procmail exiting EX_NOUSER (67) bounces 5.1.1 to the sender" {
    command_for alice "$PROCMAIL"
    printf 'EXITCODE=67\n:0\n/dev/null\n' | procmailrc
    send 'refused' alice
    flush
    assert_equal "$(queue_files)" 0
    run mbox_report bob
    assert_line "Final-Recipient: rfc822; alice@$HOST"
    assert_line 'Status: 5.1.1'
    assert_line 'Returned-Subject: refused'
}

@test "mailbox_command_maps gives alice a command; bob, without an entry, keeps his spool mailbox" {
    local out=$BATS_TEST_TMPDIR/out
    command_for alice "$(dump_script) $out"
    send 'both' alice bob
    flush
    run grep -c '^From the body of both$' "$out.in"
    assert_output 1
    [ ! -e "$(mbox_path alice)" ]
    run mbox_check bob
    assert_line 'Subject: both'
}

# ---------------------------------------------------------------- home_mailbox

@test "home_mailbox = Maildir/: a maildir made for the recipient, read by python3's mailbox and by mutt" {
    set_param home_mailbox Maildir/
    send 'first' alice
    send 'second' alice
    flush
    run stat -c '%n %a' "$H/Maildir" "$H/Maildir/tmp" "$H/Maildir/new" "$H/Maildir/cur"
    assert_output "$H/Maildir 700
$H/Maildir/tmp 700
$H/Maildir/new 700
$H/Maildir/cur 700"
    [ -z "$(ls -A "$H/Maildir/tmp")" ]
    run ls "$H/Maildir/new"
    assert_equal "${#lines[@]}" 2
    for f in "${lines[@]}"; do
        [[ $f =~ ^[0-9]+\.V[0-9a-f]+I[0-9a-f]+M[0-9]+\.[^/:]+$ ]]
        [ "$(stat -c %a "$H/Maildir/new/$f")" = 600 ]
        [ "$(stat -c %u "$H/Maildir/new/$f")" = "$(id -u)" ]
        run head -1 "$H/Maildir/new/$f"
        assert_output "Return-Path: <bob@$HOST>"
    done
    run mbox_py count "$H/Maildir"
    assert_output 2
    run mbox_py headers "$H/Maildir" first
    assert_line --index 0 Return-Path
    assert_line --index 1 X-Original-To
    assert_line --index 2 Delivered-To
    run mbox_py body "$H/Maildir" second
    assert_output 'From the body of second'
    mutt_copy "$H/Maildir" "$BATS_TEST_TMPDIR/copied"
    run mbox_py count "$BATS_TEST_TMPDIR/copied"
    assert_output 2
    run mbox_py header "$BATS_TEST_TMPDIR/copied" first Delivered-To
    assert_output "alice@$HOST"
    run maillog
    assert_line --regexp "to=<alice@$HOST>, relay=local, .*dsn=2\\.0\\.0, status=sent \\(delivered to maildir\\)\$"
    [ ! -e "$(mbox_path alice)" ]
}

@test "home_mailbox = Maildir/ with a file in the way bounces 5.2.0 naming the maildir" {
    set_param home_mailbox Maildir/
    touch "$H/Maildir"
    send 'blocked' alice
    flush
    assert_equal "$(queue_files)" 0
    run mbox_py report "$INST/home/bob/Maildir"
    assert_line 'Status: 5.2.0'
    run maillog
    assert_line --regexp "to=<alice@$HOST>, .*status=bounced \\(maildir delivery failed: $H/Maildir: Not a directory\\)\$"
}

@test "home_mailbox = Mailbox: an mbox in the home directory, as the spool's (From_ line, >From, mode 0600)" {
    set_param home_mailbox Mailbox
    send 'home' alice
    flush
    run mbox_py envelope "$H/Mailbox" home
    assert_output --regexp "^bob@$HOST  $CTIME_RE\$"
    run mbox_py body "$H/Mailbox" home
    assert_output '>From the body of home'
    run stat -c %a "$H/Mailbox"
    assert_output 600
    [ ! -e "$(mbox_path alice)" ]
}

# ---------------------------------------------------------------- precedence

@test "order as local(8): .forward, then mailbox_command_maps, then home_mailbox, then the spool" {
    local out=$BATS_TEST_TMPDIR/out
    dump_script > /dev/null
    set_param home_mailbox Maildir/
    command_for alice "$SCRIPTS/dump $out.alice"
    command_for bob "$SCRIPTS/dump $out.bob"
    printf '"|%s %s"\n' "$SCRIPTS/dump" "$out.forward" > "$INST/home/bob/.forward"
    send 'order' alice bob root
    flush
    # alice: her command, not the home maildir.
    [ -e "$out.alice.in" ] && [ ! -e "$H/Maildir" ]
    # bob: his .forward, not his command.
    [ -e "$out.forward.in" ] && [ ! -e "$out.bob.in" ]
    # root, with neither: the home maildir, not the spool.
    run mbox_py count "$INST/home/root/Maildir"
    assert_output 1
    [ ! -e "$(mbox_path root)" ]
}

# ---------------------------------------------------------------- settings

@test "a blank mailbox_command delivers to the spool; postern config prints mailbox_command as written" {
    set_param mailbox_command ''
    send 'plain' alice
    flush
    run mbox_check alice
    assert_line 'Subject: plain'
    set_param mailbox_command "$PROCMAIL"
    run pc config mailbox_command
    assert_output "$PROCMAIL"
}

@test "home_mailbox outside the home directory is refused: one line naming main.cf's line, EX_CONFIG" {
    set_param home_mailbox /var/mail/alice
    local line=$(wc -l < "$INST/main.cf")
    send 'queued' alice
    run flush
    assert_equal "$status" 78
    assert_output "sendmail: fatal: $INST/main.cf, line $line: bad home_mailbox value \"/var/mail/alice\": expected a name relative to the home directory, such as Mailbox or Maildir/"
    assert_equal "$(queue_total)" 1
}

@test "a mailbox_command whose program is missing is refused before any mail is delivered" {
    set_param mailbox_command '/nonexistent/procmail -a "$EXTENSION"'
    local line=$(wc -l < "$INST/main.cf")
    send 'queued' alice
    run flush
    assert_equal "$status" 78
    assert_output "sendmail: fatal: $INST/main.cf, line $line: bad mailbox_command value \"/nonexistent/procmail -a \"\$EXTENSION\"\": expected a command whose program exists (/nonexistent/procmail is not an executable file)"
    assert_equal "$(queue_total)" 1
}

@test "postern start, sendmail -bd and postern check refuse a bad local delivery setting: main.cf's line, EX_CONFIG" {
    set_param deliver_lock_attempts 0
    local line=$(wc -l < "$INST/main.cf")
    local expected="fatal: $INST/main.cf, line $line: bad deliver_lock_attempts value \"0\": expected at least 1"
    run pc start
    assert_equal "$status" 78
    assert_output "postern: $expected"
    run pc status
    assert_failure
    run sm -bd
    assert_equal "$status" 78
    assert_output "sendmail: $expected"
    run pc check
    assert_equal "$status" 78
    assert_output "postern: $expected"
}

@test "a reload with a bad home_mailbox keeps the running configuration and logs why" {
    pc start
    DAEMON=1
    set_param home_mailbox /var/mail/alice
    local line=$(wc -l < "$INST/main.cf")
    pc reload
    wait_for 10 grep -q 'reload failed' "$INST/log/maillog"
    run grep 'reload failed' "$INST/log/maillog"
    assert_output --partial "error: reload failed, keeping the running configuration: $INST/main.cf, line $line: bad home_mailbox value \"/var/mail/alice\""
    send 'after reload' alice
    wait_for 10 test -s "$(mbox_path alice)"
    pc stop
    run mbox_check alice
    assert_line 'Subject: after reload'
}

# ---------------------------------------------------------------- root's .forward

@test "root's .forward: a |command and a /file run as default_privs (nobody), never as root" {
    [ "$(id -u)" -eq 0 ] || skip "needs root: root's own .forward"
    local out
    out=$(mktemp -d /tmp/stores-root-forward.XXXXXX)
    chmod 1777 "$out"
    echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >> "$INST/users"
    set_param default_privs nobody
    printf '"|/usr/bin/id -u > %s/command-uid"\n%s/file\n' "$out" "$out" > "$INST/home/root/.forward"
    send 'for root' root
    flush
    run cat "$out/command-uid"
    assert_output 65534
    run stat -c %u "$out/file"
    assert_output 65534
    run mbox_py count "$out/file"
    assert_output 1
    rm -rf "$out"
}

# ---------------------------------------------------------------- read by Dovecot

# dovecot_for_alice LOCATION: a private Dovecot (no listener; doveadm reads the store through
# it) whose user alice has alice's home and mail_location LOCATION. As root every instance
# user is uid 0, which Dovecot refuses: alice becomes nobody, with a home nobody may enter.
dovecot_for_alice() {
    DOVE=$BATS_TEST_TMPDIR/dove
    local uid gid
    uid=$(id -u) gid=$(id -g)
    if [ "$uid" -eq 0 ]; then
        uid=65534 gid=65534
        DH=$(mktemp -d /tmp/stores-dovecot.XXXXXX)
        chmod 755 "$DH"
        H=$DH/alice
        mkdir -m 700 "$H"
        chown "$uid:$gid" "$H"
        sed -i "s|^alice:.*|alice:x:$uid:$gid:alice:$H:/bin/sh|" "$INST/users"
    fi
    mkdir -p "$DOVE"
    printf 'alice:{PLAIN}x:%s:%s::%s\n' "$uid" "$gid" "$H" > "$DOVE/users"
    dovecot_conf "$DOVE" "" "$1" < /dev/null
    dovecot -c "$DOVE/dovecot.conf"
    wait_for 5 test -S "$DOVE/run/auth-userdb"
}

teardown() {
    if [ -f "${DOVE:-/nonexistent}/run/master.pid" ]; then
        kill "$(cat "$DOVE/run/master.pid")" 2> /dev/null || true
    fi
    [ -z "${DH:-}" ] || rm -rf "$DH"
    [ -z "${DAEMON:-}" ] || pc stop > /dev/null 2>&1 || true
}

# dove ARGS...: doveadm against the private Dovecot.
dove() { doveadm -c "$DOVE/dovecot.conf" "$@"; }

# dovecot_subjects: the Subject of each message in alice's INBOX as Dovecot reads it, sorted
# (Dovecot numbers the files of one new/ scan in directory order).
dovecot_subjects() {
    dove fetch -u alice hdr.subject mailbox INBOX ALL | sed -n 's/^hdr.subject: //p' | sort
}

@test "home_mailbox = Maildir/ is read by Dovecot (maildir:~/Maildir), also after Dovecot moved mail to cur/" {
    set_param home_mailbox Maildir/
    dovecot_for_alice 'maildir:~/Maildir'
    send 'first' alice
    send 'second' alice
    flush
    run dovecot_subjects
    assert_output "first
second"
    run dove fetch -u alice body mailbox INBOX subject second
    assert_output 'body:
From the body of second'
    # Dovecot marks them seen and an IMAP client selects INBOX: they move to cur/ with
    # :2,S, and Dovecot keeps its uidlist and indexes in the maildir.
    dove flags add -u alice '\Seen' mailbox INBOX ALL
    printf 'a SELECT INBOX\r\nb LOGOUT\r\n' | dove exec imap -u alice > /dev/null
    [ -z "$(ls -A "$H/Maildir/new")" ]
    run ls "$H/Maildir/cur"
    assert_equal "${#lines[@]}" 2
    [[ ${lines[0]} == *:2,S ]]
    [ -e "$H/Maildir/dovecot-uidlist" ]
    send 'third' alice
    flush
    run ls "$H/Maildir/new"
    assert_equal "${#lines[@]}" 1
    run dovecot_subjects
    assert_output "first
second
third"
    run dove fetch -u alice uid mailbox INBOX subject third
    assert_output 'uid: 3'
    run dove search -u alice mailbox INBOX UNSEEN
    assert_equal "${#lines[@]}" 1
    run dove fetch -u alice hdr.delivered-to mailbox INBOX subject third
    assert_output "hdr.delivered-to: alice@$HOST"
}

@test "home_mailbox = Mailbox is read by Dovecot (mbox:~/mail:INBOX=~/Mailbox), also after Dovecot rewrote it" {
    set_param home_mailbox Mailbox
    dovecot_for_alice 'mbox:~/mail:INBOX=~/Mailbox'
    send 'first' alice
    flush
    run dovecot_subjects
    assert_output first
    # mbox (mboxo, as Postfix writes it): the body's "From " stays quoted for every reader.
    run dove fetch -u alice body mailbox INBOX subject first
    assert_output 'body:
>From the body of first'
    # Dovecot writes its status headers into the mbox; our next append must still be read.
    dove flags add -u alice '\Seen' mailbox INBOX ALL
    grep -q '^X-IMAPbase:\|^Status: RO\?' "$H/Mailbox"
    send 'second' alice
    flush
    run dovecot_subjects
    assert_output "first
second"
    run dove fetch -u alice body mailbox INBOX subject second
    assert_output 'body:
>From the body of second'
    run dove search -u alice mailbox INBOX UNSEEN
    assert_equal "${#lines[@]}" 1
}
