#!/usr/bin/env bats
# Alias and .forward expansion at delivery (spec c.1, c.3, d): every right-hand-side form,
# loops, :include: and .forward safety, command exit codes, /file refusals, a 10,000-member
# list, sendmail -bv and postern explain, and retries that must not duplicate. Mail is read
# back with python3's mailbox module (helpers/mbox.py); bounces are checked in the sender's
# mailbox (every test submits as alice, so her mailbox holds the DSNs).

load helpers/common

setup_file() { common_setup_file; }

setup() {
    private_tmpdirs
    common_setup
    # The instance owner: tables and include files owned by them run commands as this user
    # (default_privs = owner as root; the passwd entry of the owner's uid otherwise).
    OWNER=$(id -un)
    SCRIPTS=$BATS_TEST_TMPDIR/bin
    mkdir -p "$SCRIPTS"
}

# add_aliases LINE...: appends the lines to the instance's aliases file and rebuilds it.
add_aliases() {
    printf '%s\n' "$@" >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST" >/dev/null
}

# alias_line NAME: the line number of alias NAME in the aliases file.
alias_line() { grep -n "^$1:" "$INST/aliases" | cut -d: -f1; }

# script NAME < text: an executable script in $SCRIPTS; prints its path.
script() {
    cat > "$SCRIPTS/$1"
    chmod 755 "$SCRIPTS/$1"
    echo "$SCRIPTS/$1"
}

# dump_script: a command that writes its environment to $1.env and its input to $1.mbox.
dump_script() {
    script dump <<'EOF'
#!/bin/sh
for v in SENDER RECIPIENT USER HOME EXTENSION LOCAL DOMAIN ORIGINAL_RECIPIENT; do
    eval "echo $v=\${$v-(unset)}"
done > "$1.env"
cat > "$1.mbox"
EOF
}

# forward_file USER TEXT: writes USER's ~/.forward (printf format), mode 0644.
forward_file() {
    printf "$2" > "$INST/home/$1/.forward"
    chmod 644 "$INST/home/$1/.forward"
}

# send SUBJECT RCPT...: submits a small message from alice with -odq.
send() {
    local subject=$1
    shift
    printf 'Subject: %s\n\nbody of %s\n' "$subject" "$subject" | sm -odq -f alice "$@"
}

# dsn_diagnostics USER: "Final-Recipient | Status | Diagnostic-Code" for every recipient of
# every DSN in USER's mailbox, header folding undone.
dsn_diagnostics() {
    "$POSTERN_PY" - "$(mbox_path "$1")" <<'EOF'
import mailbox, re, sys
def flat(v):
    return re.sub(r"\s+", " ", str(v or "")).strip()
for msg in mailbox.mbox(sys.argv[1], create=False):
    if msg.get_content_type() != "multipart/report":
        continue
    for part in msg.walk():
        if part.get_content_type() == "message/delivery-status":
            for block in part.get_payload():
                if block.get("Final-Recipient"):
                    print("%s | %s | %s" % (flat(block.get("Final-Recipient")),
                          flat(block.get("Status")), flat(block.get("Diagnostic-Code"))))
EOF
}

# maillog: the instance's log.
maillog() { cat "$INST/log/maillog"; }

# ---------------------------------------------------------------- alias forms

@test "alias to one user delivers to that mailbox with X-Original-To and Delivered-To" {
    add_aliases 'info: bob'
    run --separate-stderr send 'to info' info
    assert_success
    assert_equal "$stderr" ''
    flush
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob 'to info' X-Original-To
    assert_output "info@$HOST"
    run mbox_header bob 'to info' Delivered-To
    assert_output "bob@$HOST"
    run mbox_header bob 'to info' Return-Path
    assert_output "<alice@$HOST>"
    assert_equal "$(queue_files)" 0
}

@test "alias to several users delivers one copy to each" {
    add_aliases 'staff: alice, bob,' "  $OWNER"
    run send 'to staff' staff
    assert_success
    flush
    assert_equal "$(mbox_count alice)" 1
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count "$OWNER")" 1
    run mbox_header alice 'to staff' X-Original-To
    assert_output "staff@$HOST"
    # One log line per destination (as Postfix's local(8)), none for the alias itself.
    run grep -c "orig_to=<staff@$HOST>, relay=local, .*status=sent (delivered to mailbox)" \
        "$INST/log/maillog"
    assert_output 3
    run grep -c ": to=<staff@$HOST>," "$INST/log/maillog"
    assert_output 0
}

@test "chained aliases are followed, and a user reached twice gets one copy" {
    add_aliases 'top: chain, alice' 'chain: staff' 'staff: alice, bob'
    run send 'chained' top
    assert_success
    flush
    assert_equal "$(mbox_count alice)" 1
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob chained X-Original-To
    assert_output "top@$HOST"
}

@test "alias to user@otherdomain is forwarded as a new queued message (Delivered-To added)" {
    add_aliases 'ext: carol@example.com'
    run send 'to ext' ext
    assert_success
    flush
    run grep -oE "[0-9A-Z]+: forwarded as [0-9A-Z]+ from=<alice@$HOST>, nrcpt=1\$" "$INST/log/maillog"
    assert_success
    local newid=${output##*forwarded as }
    newid=${newid%% *}
    run grep -c "to=<carol@example.com>, orig_to=<ext@$HOST>, relay=local, delay=[0-9.]*, dsn=2.0.0, status=sent (forwarded as $newid)" \
        "$INST/log/maillog"
    assert_output 1
    # The original is gone; the new message waits for carol@example.com.
    assert_equal "$(queue_total)" 1
    run mq
    assert_line --regexp "^$newid[ *-] *[0-9]+ .* alice@$HOST\$"
    assert_line $'\t\t\t\t\t carol@example.com'
    # The new queue file's content starts with the loop guard (its records are binary).
    run grep -a -c "Delivered-To: ext@$HOST\$" "$INST/queue/deferred/$newid"
    assert_output 1
    assert_equal "$(mbox_count alice)" 0
}

@test "\\user delivers to the mailbox without further aliasing" {
    add_aliases 'bob: alice' 'direct: \bob' 'vacation: \alice, bob'
    run send 'backslash' direct
    assert_success
    run send 'keep a copy' vacation
    assert_success
    flush
    # direct -> \bob: bob's own mailbox, not bob's alias (alice).
    run mbox_check bob
    assert_output --partial 'Subject: backslash'
    refute_output --partial 'Subject: keep a copy'
    # vacation -> \alice and bob (-> alice): one copy for alice.
    run mbox_check alice
    assert_output --partial 'Subject: keep a copy'
    refute_output --partial 'Subject: backslash'
    assert_equal "$(mbox_count alice)" 1
    assert_equal "$(mbox_count bob)" 1
}

@test "|command alias: the command gets the From_ line, headers, body and Postfix's environment" {
    local dump out=$BATS_TEST_TMPDIR/piped
    dump=$(dump_script)
    add_aliases "dump: \"|$dump $out\""
    printf 'Subject: piped\nX-Test: yes\n\nline one\nline two\n' | write_msg
    run --separate-stderr sm -odq -f alice dump+news < "$MSG"
    assert_success
    flush
    assert_equal "$(queue_files)" 0
    run cat "$out.env"
    assert_output "SENDER=alice@$HOST
RECIPIENT=dump+news@$HOST
USER=$OWNER
HOME=$INST/home/$OWNER
EXTENSION=news
LOCAL=dump+news
DOMAIN=$HOST
ORIGINAL_RECIPIENT=dump+news@$HOST"
    run head -n 1 "$out.mbox"
    assert_output --regexp "^From alice@$HOST  $CTIME_RE\$"
    assert_equal "$(mbox_py count "$out.mbox")" 1
    run mbox_py headers "$out.mbox" piped
    assert_line --index 0 Return-Path
    assert_line --index 1 X-Original-To
    assert_line --index 2 Delivered-To
    run mbox_py header "$out.mbox" piped Delivered-To
    assert_output "dump+news@$HOST"
    run mbox_py header "$out.mbox" piped X-Test
    assert_output yes
    run mbox_py body "$out.mbox" piped
    assert_output "$(printf 'line one\nline two')"
    run grep -c "to=<|$dump $out>, orig_to=<dump+news@$HOST>, relay=local, delay=[0-9.]*, dsn=2.0.0, status=sent" \
        "$INST/log/maillog"
    assert_output 1
}

@test "/file alias appends an mbox that python's mailbox reads, From lines quoted" {
    mkdir "$BATS_TEST_TMPDIR/files"
    local box=$BATS_TEST_TMPDIR/files/archive
    add_aliases "archive: $box"
    run send 'first' archive
    assert_success
    printf 'Subject: second\n\nFrom here on\nend\n' | write_msg
    run sm -odq -f alice archive < "$MSG"
    assert_success
    flush
    assert_equal "$(mbox_py count "$box")" 2
    run head -n 1 "$box"
    assert_output --regexp "^From alice@$HOST  $CTIME_RE\$"
    run mbox_py header "$box" second X-Original-To
    assert_output "archive@$HOST"
    run mbox_py header "$box" second Delivered-To
    assert_output "archive@$HOST"
    run mbox_py body "$box" second
    assert_output "$(printf '>From here on\nend')"
    assert_equal "$(stat -c %a "$box")" 600
    assert_equal "$(mbox_count alice)" 0
}

@test ":include: alias delivers to every member of the include file" {
    local inc=$BATS_TEST_TMPDIR/team.inc
    printf '# the team\nalice\n\nbob, %s\n' "$OWNER" > "$inc"
    chmod 644 "$inc"
    add_aliases "team: :include:$inc"
    run send 'to team' team
    assert_success
    flush
    assert_equal "$(mbox_count alice)" 1
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count "$OWNER")" 1
    run mbox_header bob 'to team' X-Original-To
    assert_output "team@$HOST"
}

@test "error:5.1.1:550 text alias bounces with that status and text in the DSN" {
    add_aliases 'gone: error:5.1.1:550 this list is gone'
    run --separate-stderr send 'to gone' gone
    assert_success
    flush
    assert_equal "$(queue_files)" 0
    run mbox_report alice
    assert_line 'report-type=delivery-status'
    assert_line "Final-Recipient: rfc822; gone@$HOST"
    assert_line 'Action: failed'
    assert_line 'Status: 5.1.1'
    assert_line 'Returned-Subject: to gone'
    run dsn_diagnostics alice
    assert_output --regexp "^rfc822; gone@$HOST \\| 5\\.1\\.1 \\| X-Postern; .*550 this list is gone\$"
}

@test "owner-LIST gets LIST's failures (DSN), not the sender; members still get the message" {
    add_aliases 'list: bob, nosuchuser' "owner-list: $OWNER"
    run send 'to list' list
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 1
    # The list's mail goes out with the owner as envelope sender (errors go there).
    run mbox_header bob 'to list' Return-Path
    assert_output "<owner-list@$HOST>"
    # The sender hears nothing; the owner gets the DSN naming the bad member.
    assert_equal "$(mbox_count alice)" 0
    assert_equal "$(mbox_count "$OWNER")" 1
    run mbox_report "$OWNER"
    assert_line 'report-type=delivery-status'
    assert_line 'Final-Recipient: rfc822; nosuchuser'
    assert_line 'Status: 5.1.1'
    assert_line 'Returned-Subject: to list'
    assert_equal "$(queue_files)" 0
}

@test "user+detail falls back to the alias 'user', and to the mailbox 'user'" {
    add_aliases 'staff: alice'
    run send 'plussed alias' staff+reports
    assert_success
    run send 'plussed user' bob+lists
    assert_success
    flush
    assert_equal "$(mbox_count alice)" 1
    run mbox_header alice 'plussed alias' X-Original-To
    assert_output "staff+reports@$HOST"
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob 'plussed user' X-Original-To
    assert_output "bob+lists@$HOST"
    assert_equal "$(queue_files)" 0
}

# ---------------------------------------------------------------- loops

@test "a: b, b: a bounces with 'aliasing/forwarding loop broken' (5.4.6)" {
    add_aliases 'loopa: loopb' 'loopb: loopa'
    run send 'looping' loopa
    assert_success
    flush
    assert_equal "$(queue_files)" 0
    assert_equal "$(mbox_count alice)" 1
    run mbox_report alice
    assert_line "Final-Recipient: rfc822; loopa@$HOST"
    assert_line 'Action: failed'
    assert_line 'Status: 5.4.6'
    assert_line 'Returned-Subject: looping'
    run dsn_diagnostics alice
    assert_output --regexp '\| X-Postern; .*aliasing/forwarding loop broken$'
}

@test "a message already Delivered-To list@HOST sent to list bounces 'mail forwarding loop'" {
    add_aliases 'list: alice, bob'
    printf 'Delivered-To: list@%s\nSubject: came back\n\nx\n' "$HOST" | write_msg
    run sm -odq -f alice list < "$MSG"
    assert_success
    flush
    assert_equal "$(queue_files)" 0
    assert_equal "$(mbox_count bob)" 0
    # alice's mailbox holds only the bounce, not the looping message.
    assert_equal "$(mbox_count alice)" 1
    run mbox_report alice
    assert_line "Final-Recipient: rfc822; list@$HOST"
    assert_line 'Status: 5.4.6'
    assert_line 'Returned-Subject: came back'
    run dsn_diagnostics alice
    assert_output --regexp "\\| X-Postern; mail forwarding loop for list@$HOST\$"
}

# ---------------------------------------------------------------- :include: safety

@test "a group- or world-writable include file is not obeyed: deferred 4.7.0, then delivered once fixed" {
    local inc=$BATS_TEST_TMPDIR/team.inc inc2=$BATS_TEST_TMPDIR/world.inc
    printf 'bob\n' > "$inc"
    printf 'bob\n' > "$inc2"
    chmod 664 "$inc"
    chmod 646 "$inc2"
    add_aliases "team: :include:$inc" "world: :include:$inc2"
    run send 'to team' team
    assert_success
    run send 'to world' world
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 0
    assert_equal "$(mbox_count alice)" 0
    assert_equal "$(queue_total)" 2
    run mq
    assert_line "                 (Deferred: :include:$inc (expanded from team@$HOST): include file $inc is group writable)"
    assert_line "                 (Deferred: :include:$inc2 (expanded from world@$HOST): include file $inc2 is world writable)"
    run maillog
    assert_line --regexp "warning: include file $inc is group writable: not obeyed\$"
    assert_line --regexp "warning: include file $inc2 is world writable: not obeyed\$"
    assert_line --regexp "to=<team@$HOST>, relay=local, .*dsn=4\\.7\\.0, status=deferred"
    chmod 644 "$inc" "$inc2"
    flush
    assert_equal "$(queue_total)" 0
    assert_equal "$(mbox_count bob)" 2
}

@test "a command inside an include file is refused: 'mail to command is restricted' (5.7.1)" {
    local inc=$BATS_TEST_TMPDIR/team.inc flag=$BATS_TEST_TMPDIR/ran
    printf 'alice\n"|/bin/touch %s"\n' "$flag" > "$inc"
    chmod 644 "$inc"
    add_aliases "team: :include:$inc"
    run send 'to team' team
    assert_success
    flush
    assert [ ! -e "$flag" ]
    assert_equal "$(queue_files)" 0
    # alice got the message and the bounce for the refused command.
    assert_equal "$(mbox_count alice)" 2
    run mbox_report alice
    assert_line "Final-Recipient: rfc822; team@$HOST"
    assert_line 'Status: 5.7.1'
    run dsn_diagnostics alice
    assert_output --regexp '\| X-Postern; .*mail to command is restricted$'
}

# ---------------------------------------------------------------- .forward

@test ".forward with \\self and a pipe: the mailbox and the command both get the message" {
    local dump out=$BATS_TEST_TMPDIR/fwd
    dump=$(dump_script)
    forward_file bob "\\\\bob\n\"|$dump $out\"\n"
    run send 'forwarded' bob
    assert_success
    flush
    assert_equal "$(queue_files)" 0
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob forwarded Delivered-To
    assert_output "bob@$HOST"
    run cat "$out.env"
    assert_output "SENDER=alice@$HOST
RECIPIENT=bob@$HOST
USER=bob
HOME=$INST/home/bob
EXTENSION=(unset)
LOCAL=bob
DOMAIN=$HOST
ORIGINAL_RECIPIENT=bob@$HOST"
    run head -n 1 "$out.mbox"
    assert_output --regexp "^From alice@$HOST  $CTIME_RE\$"
    run mbox_py header "$out.mbox" forwarded Delivered-To
    assert_output "bob@$HOST"
    run mbox_py body "$out.mbox" forwarded
    assert_output 'body of forwarded'
}

@test "an empty .forward means normal delivery to the mailbox" {
    forward_file bob ''
    run send 'empty forward' bob
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 1
    run mbox_header bob 'empty forward' Delivered-To
    assert_output "bob@$HOST"
}

@test "a group-writable .forward is ignored with a log line; mail goes to the mailbox" {
    forward_file bob 'alice\n'
    chmod 664 "$INST/home/bob/.forward"
    run send 'unsafe forward' bob
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 0
    run maillog
    assert_line --regexp "warning: forward file $INST/home/bob/.forward is group writable: ignored\$"
}

# ---------------------------------------------------------------- command exit codes

@test "a command exiting 75 leaves the message queued (mailq and maillog say deferred)" {
    add_aliases 'busy: "|echo busy now; exit 75"'
    run send 'to busy' busy
    assert_success
    flush
    assert_equal "$(queue_total)" 1
    run mq
    assert_line "                 (Deferred: |echo busy now; exit 75 (expanded from busy@$HOST): temporary failure. Command output: busy now)"
    assert_line $'\t\t\t\t\t '"busy@$HOST"
    run maillog
    assert_line --regexp "to=<busy@$HOST>, relay=local, .*dsn=4\\.3\\.0, status=deferred \\(.*Command output: busy now\\)\$"
    assert_equal "$(mbox_count alice)" 0
}

@test "a command exiting 67 bounces (5.1.1) with the command's output in the DSN" {
    add_aliases 'nouser: "|echo no such mailbox here; exit 67"'
    run send 'to nouser' nouser
    assert_success
    flush
    assert_equal "$(queue_files)" 0
    run mbox_report alice
    assert_line "Final-Recipient: rfc822; nouser@$HOST"
    assert_line 'Action: failed'
    assert_line 'Status: 5.1.1'
    assert_line 'Returned-Subject: to nouser'
    run dsn_diagnostics alice
    assert_output --regexp '\| X-Postern; .*user unknown\. Command output: no such mailbox here$'
}

@test "a command exiting 1 bounces 'Command died with status 1' (5.3.0)" {
    add_aliases 'oops: "|echo oops; exit 1"'
    run send 'to oops' oops
    assert_success
    flush
    assert_equal "$(queue_files)" 0
    run mbox_report alice
    assert_line "Final-Recipient: rfc822; oops@$HOST"
    assert_line 'Status: 5.3.0'
    run dsn_diagnostics alice
    assert_output --regexp '\| X-Postern; .*Command died with status 1: "echo oops; exit 1"\. Command output: oops$'
}

# ---------------------------------------------------------------- /file safety

@test "/file that is a symlink is refused (bounce 5.2.0), the link's target untouched" {
    mkdir "$BATS_TEST_TMPDIR/files"
    local target=$BATS_TEST_TMPDIR/files/target link=$BATS_TEST_TMPDIR/files/link
    printf 'precious\n' > "$target"
    ln -s "$target" "$link"
    add_aliases "sym: $link"
    run send 'to symlink' sym
    assert_success
    flush
    assert_equal "$(queue_files)" 0
    assert_equal "$(cat "$target")" 'precious'
    assert [ -L "$link" ]
    run mbox_report alice
    assert_line "Final-Recipient: rfc822; sym@$HOST"
    assert_line 'Action: failed'
    assert_line 'Status: 5.2.0'
    run dsn_diagnostics alice
    assert_output --regexp "\\| X-Postern; .*$link is not a regular file\$"
}

# ---------------------------------------------------------------- a big list

@test "a 10,000-member alias delivers one message to each of 10,000 mailboxes exactly once" {
    awk -v u="$(id -u)" -v g="$(id -g)" -v h="$INST/home" \
        'BEGIN { for (i = 1; i <= 10000; i++) printf "m%05d:x:%d:%d:member:%s/m%05d:/bin/sh\n", i, u, g, h, i }' \
        >> "$INST/users"
    awk 'BEGIN { printf "big: m00001"
                 for (i = 2; i <= 10000; i++) printf (i % 10 == 1 ? ",\n  m%05d" : ", m%05d"), i
                 printf "\n" }' >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST" >/dev/null
    run --separate-stderr send 'to everyone' big
    assert_success
    assert_equal "$stderr" ''
    flush
    assert_equal "$(queue_files)" 0
    assert_equal "$(find "$INST/mail" -name 'm[0-9]*' -type f | wc -l)" 10000
    # Exactly one From_ line in each mailbox.
    run sh -c "find '$INST/mail' -name 'm[0-9]*' -type f -exec grep -H -c '^From ' {} + | grep -v ':1\$'"
    assert_output ''
    run mbox_header m04711 'to everyone' Delivered-To
    assert_output "m04711@$HOST"
    run mbox_header m04711 'to everyone' X-Original-To
    assert_output "big@$HOST"
    run grep -c "orig_to=<big@$HOST>, relay=local, .*status=sent (delivered to mailbox)" \
        "$INST/log/maillog"
    assert_output 10000
}

# ---------------------------------------------------------------- sendmail -bv

@test "sendmail -bv: an alias lists its users, exit 0" {
    add_aliases 'staff: alice, bob'
    run --separate-stderr sm -bv staff
    assert_success
    assert_output 'alice... deliverable: mailer local, user alice
bob... deliverable: mailer local, user bob'
    assert_equal "$stderr" ''
    assert_equal "$(queue_files)" 0
}

@test "sendmail -bv: a pipe, a file, an unknown user, a loop (exit 0, 0, 67, 64)" {
    add_aliases 'pipe: "|/usr/bin/vacation bob"' "file: /var/tmp/archive" \
        'loopa: loopb' 'loopb: loopa'
    run --separate-stderr sm -bv pipe
    assert_success
    assert_output '"|/usr/bin/vacation bob"... deliverable: mailer prog, user "|/usr/bin/vacation bob"'
    run --separate-stderr sm -bv file
    assert_success
    assert_output '/var/tmp/archive... deliverable: mailer *file*, user /var/tmp/archive'
    run --separate-stderr sm -bv nosuchuser
    assert_failure 67
    assert_output 'nosuchuser... User unknown'
    run --separate-stderr sm -bv loopa
    assert_failure 64
    assert_output 'loopa... aliasing/forwarding loop broken'
    assert_equal "$stderr" ''
    assert_equal "$(queue_files)" 0
}

@test "sendmail -bv: error: and a remote member, exit 67 for the error" {
    add_aliases 'gone: error:5.1.1:550 this list is gone' 'ext: carol@example.com'
    run --separate-stderr sm -bv ext
    assert_success
    assert_output 'carol@example.com... deliverable: mailer esmtp, host example.com, user carol@example.com'
    run --separate-stderr sm -bv gone
    assert_failure 67
    assert_output 'error:5.1.1:550 this list is gone... 550 this list is gone'
}

# ---------------------------------------------------------------- postern explain

@test "postern explain: an alias with an :include: shows the tree with FILE:LINE" {
    local inc=$BATS_TEST_TMPDIR/team.inc
    printf '# the team\nbob\ncarol@example.com\n' > "$inc"
    chmod 644 "$inc"
    add_aliases "team: alice, :include:$inc"
    local at="$INST/aliases:$(alias_line team)"
    run --separate-stderr "$BIN/postern" -C "$INST" explain team
    assert_success
    assert_equal "$stderr" ''
    assert_output "team: alias team (hash:aliases), defined at $at
  alice: mailbox $INST/mail/alice, user alice  [$at]
  :include:$inc: :include: $inc  [$at]
    bob: mailbox $INST/mail/bob, user bob  [$inc:2]
    carol@example.com: forwarded to carol@example.com (a new message through the queue)  [$inc:3]"
}

@test "postern explain: a user with a .forward shows each line of it" {
    forward_file bob '\\bob\n# a comment\n"|/usr/bin/vacation bob"\n'
    local f=$INST/home/bob/.forward uid
    uid=$(awk -F: '$1 == "bob" { print $3 }' "$INST/users")
    run --separate-stderr "$BIN/postern" -C "$INST" explain bob
    assert_success
    assert_equal "$stderr" ''
    assert_output "bob: .forward $f
  \\bob: mailbox $INST/mail/bob, user bob  [$f:1]
  |/usr/bin/vacation bob: command \"/usr/bin/vacation bob\", runs as bob (uid $uid)  [$f:3]"
}

@test "postern explain: a loop and an unknown user are failures, exit 67" {
    add_aliases 'loopa: loopb' 'loopb: loopa'
    local a="$INST/aliases:$(alias_line loopa)" b="$INST/aliases:$(alias_line loopb)"
    run --separate-stderr "$BIN/postern" -C "$INST" explain loopa nosuchuser
    assert_failure 67
    assert_output "loopa: alias loopa (hash:aliases), defined at $a
  loopb: alias loopb (hash:aliases), defined at $b  [$a]
    loopa: bounced 5.4.6 aliasing/forwarding loop broken  [$b]
nosuchuser: bounced 5.1.1 unknown user: \"nosuchuser\""
}

# ---------------------------------------------------------------- retries

@test "a retry after a partial failure delivers only what failed: no duplicate in the mailbox" {
    local log=$BATS_TEST_TMPDIR/runs cmd
    cmd=$(script flaky <<EOF
#!/bin/sh
cat > /dev/null
echo deferred >> $log
echo not now
exit 75
EOF
)
    add_aliases "both: bob, \"|$cmd\""
    run send 'partial' both
    assert_success
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(queue_total)" 1
    run mq
    assert_line --regexp "^ {17}\\(Deferred: \\|$cmd \\(expanded from both@$HOST\\): temporary failure\\. Command output: not now\\)\$"
    # The command works now.
    script flaky >/dev/null <<EOF
#!/bin/sh
cat > /dev/null
echo delivered >> $log
EOF
    flush
    assert_equal "$(queue_total)" 0
    assert_equal "$(mbox_count bob)" 1
    run cat "$log"
    assert_output 'deferred
delivered'
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 0
}
