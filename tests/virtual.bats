#!/usr/bin/env bats
# virtusertable for all mail (issue 15): every envelope recipient is rewritten in one place
# (cleanup, which forwarded copies pass too), whatever brought the message: the sendmail
# command, SMTP (-bs), aliases and .forward. A value may list several addresses (Postfix
# virtual(5)); a virtual address whose result cannot be delivered is refused at RCPT.

load helpers/common
setup_file() { common_setup_file; }
setup() {
    common_setup
    printf '%s\n' 'info@virt.example alice' 'sales@virt.example bob, alice' \
        'ghost@virt.example nosuchuser' 'gone@virt.example error:nouser No such user here' \
        > "$INST/virtusertable"
    set_param virtusertable_map hash:virtusertable
    "$BIN/postmap" "$INST/virtusertable"
}

# bs: an SMTP session over sendmail -bs, replies without CR.
bs() { printf '%s\r\n' "$@" | sm -bs -odq | tr -d '\r'; }

@test "virtual: the sendmail command delivers a virtual address to the mapped local user" {
    printf 'Subject: to info\n\nhi\n' | sm -odi info@virt.example
    assert_equal "$(mbox_count alice)" 1
    assert_equal "$(mbox_count bob)" 0
    assert_equal "$(queue_files)" 0
}

@test "virtual: a value with several addresses is delivered to each of them" {
    printf 'Subject: to sales\n\nhi\n' | sm -odi sales@virt.example
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 1
    assert_equal "$(queue_files)" 0
}

@test "virtual: SMTP RCPT to a virtual address whose result is an unknown user is refused 550" {
    run --separate-stderr bs "HELO client" "MAIL FROM:<x@example.com>" \
        "RCPT TO:<ghost@virt.example>" "RCPT TO:<gone@virt.example>" \
        "RCPT TO:<sales@virt.example>" QUIT
    assert_line --index 3 --regexp '^550 5\.1\.1 '
    assert_line --index 4 --regexp '^550 5\.1\.1 .*No such user here'
    assert_line --index 5 --regexp '^250 '
}

@test "virtual: SMTP mail to a multi-address virtual address reaches each user" {
    run --separate-stderr bs "HELO client" "MAIL FROM:<x@example.com>" \
        "RCPT TO:<sales@virt.example>" DATA "Subject: smtp sales" "" "hi" . QUIT
    assert_line --index 5 --regexp '^250 '
    flush
    assert_equal "$(mbox_count bob)" 1
    assert_equal "$(mbox_count alice)" 1
}

@test "virtual: an alias that expands to a virtual address is rewritten" {
    printf 'team: info@virt.example\n' >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST" >/dev/null
    printf 'Subject: to team\n\nhi\n' | sm -odi team
    flush
    assert_equal "$(mbox_count alice)" 1
    assert_equal "$(queue_files)" 0
}

@test "virtual: sendmail -bv and postern explain show the rewrite with file:line" {
    run --separate-stderr sm -bv sales@virt.example
    assert_success
    assert_line --index 0 "sales@virt.example... virtusertable $INST/virtusertable:2 -> bob, alice"
    assert_line "bob... deliverable: mailer local, user bob"
    assert_line "alice... deliverable: mailer local, user alice"
    run --separate-stderr "$BIN/postern" -C "$INST" explain info@virt.example
    assert_success
    assert_line --index 0 "info@virt.example: virtusertable $INST/virtusertable:1 -> alice"
    assert_line --partial "mailbox $INST/mail/alice, user alice"
    run --separate-stderr sm -bv ghost@virt.example
    assert_failure 67
}

@test "virtual: a bounce to a virtual sender goes where virtusertable says" {
    # Accepted (an alias), bounced at delivery: its member is nobody here.
    printf 'broken: nosuchuser\n' >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST" >/dev/null
    printf 'Subject: to nobody\n\nhi\n' | sm -odi -f info@virt.example broken
    flush
    assert_equal "$(mbox_count alice)" 1
    run grep -c '^Subject: Undelivered Mail Returned to Sender' "$INST/mail/alice"
    assert_output 1
    assert_equal "$(queue_files)" 0
}
