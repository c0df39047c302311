#!/usr/bin/env bats
# Address rewriting (issue 17): canonical maps, masquerading and myorigin in cleanup, then
# virtusertable; smtp_generic_maps (sendmail's genericstable) in the SMTP client only. Each
# test relays through a recorder on a loopback port (tests/helpers/smtp_recorder.py) and
# checks what arrived at the far end: MAIL FROM, RCPT TO and the headers.

load helpers/common
setup_file() { common_setup_file; }
setup() {
    common_setup
    SINKPORT=$(free_port)
    SINK=$BATS_TEST_TMPDIR/sink.log
    "$POSTERN_PY" "$BATS_TEST_DIRNAME/helpers/smtp_recorder.py" "$SINKPORT" "$SINK" &
    SINK_PID=$!
    wait_for 10 test -e "$SINK.ready"
    set_param relayhost "[127.0.0.1]:$SINKPORT"
    set_param smtp_tls_security_level none
    set_param mydomain example.net
}

teardown() { [ -z "${SINK_PID:-}" ] || kill "$SINK_PID" 2> /dev/null || true; }

# table NAME LINE...: the postmap source INST/NAME compiled into its hash table.
table() {
    local name=$1
    shift
    printf '%s\n' "$@" > "$INST/$name"
    "$BIN/postmap" "$INST/$name"
}

# relay: deliver the queue now; the recorder has the message.
relay() {
    run flush
    assert_success
    wait_for 10 grep -q '^\.$' "$SINK"
}

# arrived: the recorder's log (envelope lines and message).
arrived() { cat "$SINK"; }

@test "rewrite: smtp_generic_maps in genericstable's format maps MAIL FROM, RCPT TO and headers on the way out only" {
    table genericstable "alice alice.smith@public.example" \
        "bob@$HOST robert@public.example" "@$HOST @public.example"
    set_param smtp_generic_maps hash:genericstable
    printf 'From: alice\nTo: carol@far.test\nCc: Bob <bob@%s>, "Dan" <dan@%s>\nSubject: hi alice\n\nalice@%s\n' \
        "$HOST" "$HOST" "$HOST" | sm -f alice carol@far.test bob@far.test
    relay
    run arrived
    assert_line "MAIL FROM:<alice.smith@public.example>"
    assert_line "RCPT TO:<carol@far.test>"
    assert_line "RCPT TO:<bob@far.test>"
    assert_line "From: alice.smith@public.example"
    assert_line 'Cc: Bob <robert@public.example>, "Dan" <dan@public.example>'
    assert_line "Subject: hi alice"
    assert_line "alice@$HOST"
    # The queue and its log keep the internal address.
    grep -q "from=<alice@$HOST>" "$INST/log/maillog"
}

@test "rewrite: sender_canonical_maps then canonical_maps for the envelope sender and sender headers" {
    table sender_canonical "alice@$HOST alice@corp.example"
    table canonical "alice@corp.example Alice.Smith@corp.example" "# bob" "bob Bob.Jones"
    set_param sender_canonical_maps hash:sender_canonical
    set_param canonical_maps hash:canonical
    printf 'From: Alice <alice>\nReply-To: alice@%s\nTo: bob\nSubject: t\n\nbody\n' "$HOST" \
        | sm -f alice carol@far.test
    relay
    run arrived
    assert_line "MAIL FROM:<Alice.Smith@corp.example>"
    assert_line "From: Alice <Alice.Smith@corp.example>"
    assert_line "Reply-To: Alice.Smith@corp.example"
    # canonical_maps applies to recipient headers too; "bob" matches because $HOST is ours.
    assert_line "To: Bob.Jones@$HOST"
}

@test "rewrite: recipient_canonical_maps then virtusertable; the @domain form keeps the local part" {
    table recipient_canonical "@old.example @new.example" "x@legacy.example info@virt.example"
    table virtusertable "info@virt.example dave@far.test"
    set_param recipient_canonical_maps hash:recipient_canonical
    set_param virtusertable_map hash:virtusertable
    printf 'To: carol@old.example, x@legacy.example\nSubject: t\n\nbody\n' \
        | sm carol@old.example x@legacy.example
    relay
    run arrived
    assert_line "RCPT TO:<carol@new.example>"
    assert_line "RCPT TO:<dave@far.test>"
    refute_line --partial "x@legacy.example>"
    assert_line "To: carol@new.example, info@virt.example"
}

@test "rewrite: an unmatched +extension is propagated (propagate_unmatched_extensions = canonical)" {
    table canonical "carol@old.example carol@new.example"
    set_param canonical_maps hash:canonical
    printf 'Subject: t\n\nbody\n' | sm carol+list@old.example
    relay
    run arrived
    assert_line "RCPT TO:<carol+list@new.example>"
}

@test "rewrite: masquerade_domains strips subdomains of senders and header addresses, not envelope recipients" {
    set_param masquerade_domains '!keep.example.com, example.com'
    set_param masquerade_exceptions root
    printf 'From: joe@host.sub.example.com\nSender: root@host.example.com\nTo: ann@mx.example.com, kim@x.keep.example.com\nSubject: t\n\nbody\n' \
        | sm -f joe@host.sub.example.com ann@mx.example.com
    relay
    run arrived
    assert_line "MAIL FROM:<joe@example.com>"
    assert_line "RCPT TO:<ann@mx.example.com>"
    assert_line "From: joe@example.com"
    assert_line "Sender: root@host.example.com"
    assert_line "To: ann@example.com, kim@x.keep.example.com"
}

@test "rewrite: masquerade_classes can add envelope recipients; canonical_classes can narrow" {
    set_param masquerade_domains example.com
    set_param masquerade_classes envelope_recipient
    table canonical "alice@$HOST alias@corp.example"
    set_param canonical_maps hash:canonical
    set_param canonical_classes header_sender
    printf 'From: alice\nSubject: t\n\nbody\n' | sm -f alice ann@mx.example.com
    relay
    run arrived
    assert_line "RCPT TO:<ann@example.com>"
    assert_line "MAIL FROM:<alice@$HOST>"
    assert_line "From: alias@corp.example"
}

@test "rewrite: myorigin read from a file (Debian's /etc/mailname) qualifies sender and headers" {
    printf 'mailname.example\n' > "$INST/mailname"
    set_param myorigin "$INST/mailname"
    printf 'From: alice\nTo: bob\nSubject: t\n\nbody\n' | sm -f alice carol@far.test
    relay
    run arrived
    assert_line "MAIL FROM:<alice@mailname.example>"
    assert_line "From: alice@mailname.example"
    assert_line "To: bob@mailname.example"
    run pc config myorigin
    assert_output mailname.example
}

@test "rewrite: postern explain and sendmail -bv name each table entry with FILE:LINE" {
    table recipient_canonical "# old names" "@old.example @new.example"
    table canonical "carol@new.example info@virt.example"
    table virtusertable "info@virt.example dave@far.test"
    table genericstable "dave@far.test d.public@far.test"
    set_param recipient_canonical_maps hash:recipient_canonical
    set_param canonical_maps hash:canonical
    set_param virtusertable_map hash:virtusertable
    set_param smtp_generic_maps hash:genericstable
    run pc explain carol@old.example
    assert_success
    assert_line "carol@old.example: recipient_canonical_maps $INST/recipient_canonical:2 -> carol@new.example"
    assert_line "carol@new.example: canonical_maps $INST/canonical:1 -> info@virt.example"
    assert_line "info@virt.example: virtusertable $INST/virtusertable:1 -> dave@far.test"
    assert_line "dave@far.test: not local: relayed to far.test"
    assert_line "  dave@far.test: sent as smtp_generic_maps $INST/genericstable:1 -> d.public@far.test"
    run sm -bv carol@old.example
    assert_success
    assert_line "carol@old.example... recipient_canonical_maps $INST/recipient_canonical:2 -> carol@new.example"
    assert_line "dave@far.test... smtp_generic_maps $INST/genericstable:1 -> d.public@far.test"
    assert_line "dave@far.test... deliverable: mailer esmtp, host far.test, user dave@far.test"
}

@test "rewrite: a table line without a value is named by postmap as FILE, line N; a bad class is refused" {
    printf 'alice alice@public.example\nbob\n' > "$INST/genericstable"
    run --separate-stderr "$BIN/postmap" "$INST/genericstable"
    assert_equal "$stderr" "postmap: warning: $INST/genericstable, line 2: expected format: key whitespace value"
    set_param masquerade_classes 'envelope_sender, headers'
    run --separate-stderr sm -bv alice
    assert_failure 78
    [[ "$stderr" == *'bad masquerade_classes value "envelope_sender, headers"'* ]]
}

@test "rewrite: a *_maps list is searched in order; explain and -bv name FILE:LINE of the table that answered" {
    table rc1 "carol@old.example carol@one.example"
    table rc2 "# second" "carol@old.example carol@two.example" "dan@old.example dan@far.test"
    table genericstable "dan@far.test d.public@pub.example"
    set_param recipient_canonical_maps "hash:rc1 hash:rc2"
    set_param smtp_generic_maps "inline:{ carol@one.example=c.public@pub.example, x@y.example=z@y.example }, hash:genericstable"
    printf 'Subject: t\n\nbody\n' | sm carol@old.example dan@old.example
    relay
    run arrived
    assert_line "RCPT TO:<c.public@pub.example>"
    assert_line "RCPT TO:<d.public@pub.example>"
    run pc explain dan@old.example
    assert_success
    assert_line "dan@old.example: recipient_canonical_maps $INST/rc2:3 -> dan@far.test"
    assert_line "  dan@far.test: sent as smtp_generic_maps $INST/genericstable:1 -> d.public@pub.example"
    run sm -bv carol@old.example
    assert_success
    assert_line "carol@old.example... recipient_canonical_maps $INST/rc1:1 -> carol@one.example"
    # An inline table has no file: the entry is named by its key.
    assert_line "carol@one.example... smtp_generic_maps carol@one.example -> c.public@pub.example"
}

@test "rewrite: a copy forwarded by an alias gets the recipient canonical maps, and its list owner the sender canonical maps" {
    printf 'team: carol@old.example\nowner-team: alice\n' >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST"
    table recipient_canonical "@old.example @new.example"
    table sender_canonical "owner-team@$HOST lists@corp.example"
    set_param recipient_canonical_maps hash:recipient_canonical
    set_param sender_canonical_maps hash:sender_canonical
    printf 'Subject: t\n\nbody\n' | sm -odq -f bob team
    flush
    relay
    run arrived
    assert_line "MAIL FROM:<lists@corp.example>"
    assert_line "RCPT TO:<carol@new.example>"
}

@test "rewrite: a bounce notice is addressed through the recipient canonical maps, with the null sender" {
    printf 'gone: error:5.1.1:550 gone in May\n' >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST"
    table recipient_canonical "bob@$HOST bob@far.test"
    set_param recipient_canonical_maps hash:recipient_canonical
    printf 'Subject: lost\n\nbody\n' | sm -odq -f bob gone
    flush
    relay
    run arrived
    assert_line "MAIL FROM:<>"
    assert_line "RCPT TO:<bob@far.test>"
    assert_line "Final-Recipient: rfc822; gone@$HOST"
}
