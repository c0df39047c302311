#!/usr/bin/env bats
# mailq (sendmail -bp): the sendmail 8 queue listing of spec b.1.

load helpers/common

setup_file() { common_setup_file; }
setup() { common_setup; }
teardown() { "$BIN/postern" -C "$INST" stop > /dev/null 2>&1 || true; }

# The first 16 characters of ctime(3): "Wed Nov 25 02:51".
QTIME_RE='(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9][0-9] [0-9]{2}:[0-9]{2}'

@test "mailq on an empty queue prints '<dir> is empty' and a 'Total requests: 0' trailer" {
    run --separate-stderr mq
    assert_success
    assert_output "$(printf '%s/queue is empty\n\t\tTotal requests: 0' "$INST")"
    assert_equal "$stderr" ""
}

@test "mailq lists one queued message: header, entry led by the queue id, recipient line, trailer" {
    printf 'Subject: q\n\nhello\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    local qid
    qid=$(ls "$INST/queue/maildrop")
    run --separate-stderr mq
    assert_success
    assert_equal "${#lines[@]}" 5
    assert_line --index 0 "$(printf '\t\t%s/queue (1 request)' "$INST")"
    assert_line --index 1 --regexp '^-+Q-ID-+ --Size-- -----Q-Time----- -+Sender/Recipient-+$'
    # Queue id, one status character, %8ld size, ctime's first 16 characters, sender.
    assert_line --index 2 --regexp "^${qid}[ *X?-][ 0-9]{7}[0-9] $QTIME_RE root(@$HOST)?\$"
    assert_line --index 3 "$(printf '\t\t\t\t\t bob')"
    assert_line --index 4 "$(printf '\t\tTotal requests: 1')"
}

@test "mailq counts N requests, lists every recipient, and shows the null sender as <>" {
    printf 'Subject: one\n\nx\n' | write_msg
    run sm -odq bob alice < "$MSG"
    assert_success
    printf 'Subject: two\n\nx\n' | write_msg
    run sm -odq -f '<>' bob < "$MSG"
    assert_success
    run --separate-stderr mq
    assert_success
    assert_line --index 0 "$(printf '\t\t%s/queue (2 requests)' "$INST")"
    assert_line --regexp "^[0-9A-Za-z]+[ *X?-][ 0-9]{7}[0-9] $QTIME_RE <>\$"
    assert_line "$(printf '\t\t\t\t\t alice')"
    assert_equal "$(grep -c $'^\t\t\t\t\t bob$' <<< "$output")" 2
    assert_equal "${lines[-1]}" "$(printf '\t\tTotal requests: 2')"
}

@test "mailq shows a deferred message's reason on a status line of 17 spaces and parentheses" {
    printf 'Subject: far\n\nx\n' | write_msg
    run sm -odq someone@example.com < "$MSG"
    assert_success
    flush
    run --separate-stderr mq
    assert_success
    assert_line --index 2 --regexp "^[0-9A-Za-z]+[ *X?-][ 0-9]{7}[0-9] $QTIME_RE root@$HOST\$"
    assert_line --index 3 --regexp '^ {17}\(.+\)$'
    assert_line --index 4 "$(printf '\t\t\t\t\t someone@example.com')"
    assert_line --index 5 "$(printf '\t\tTotal requests: 1')"
}

@test "sendmail -bp prints the same listing as mailq" {
    printf 'Subject: bp\n\nx\n' | write_msg
    run sm -odq bob < "$MSG"
    assert_success
    local listing
    listing=$(mq)
    run --separate-stderr sm -bp
    assert_success
    assert_output "$listing"
}

@test "mailq accepts -Ac and -v" {
    run --separate-stderr mq -Ac
    assert_success
    assert_line --index 1 "$(printf '\t\tTotal requests: 0')"
    run --separate-stderr mq -v
    assert_success
    assert_equal "$stderr" ""
}

@test "mailq through POSTERN_CONFIG=DIR lists that instance's queue" {
    POSTERN_CONFIG=$INST run --separate-stderr "$BIN/mailq"
    assert_success
    assert_line --index 0 "$INST/queue is empty"
}

@test "mailq with a directory without main.cf exits 78" {
    mkdir "$BATS_TEST_TMPDIR/empty"
    run --separate-stderr "$BIN/mailq" -C "$BATS_TEST_TMPDIR/empty"
    assert_failure 78
    assert_output ''
}

@test "mailq with mailq_format = postfix prints Postfix's layout: empty queue" {
    set_param mailq_format postfix
    run --separate-stderr mq
    assert_success
    assert_output 'Mail queue is empty'
    assert_equal "$stderr" ""
}

@test "mailq with mailq_format = postfix prints Postfix's columns, reason, blank line and trailer" {
    set_param mailq_format postfix
    printf 'Subject: far\n\nx\n' | write_msg
    run sm -odq someone@example.com < "$MSG"
    flush
    run --separate-stderr mq
    assert_success
    # Six lines, the fifth empty (Bats' $lines leaves empty lines out).
    assert_equal "$(wc -l <<< "$output")" 6
    assert_line --index 0 '-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------'
    # %-11s %7ld %20.20s %s: id, content size, asctime without the year, sender.
    assert_line --index 1 --regexp "^[0-9A-Z]{16} +[0-9]+ $QTIME_RE:[0-9]{2}  root@$HOST\$"
    # The reason ends in column 78; recipients are indented 41.
    local r=$DEAD_RELAY_TEXT
    assert_line --index 2 "$(printf '%*s(%s)' $((76 - ${#r})) '' "$r")"
    assert_equal "${#lines[2]}" 78
    assert_line --index 3 "$(printf '%41s%s' '' someone@example.com)"
    assert_equal "$(sed -n 5p <<< "$output")" ''
    assert_equal "$(sed -n 6p <<< "$output")" '-- 0 Kbytes in 1 Request.'
}

@test "mailq -q!R and -qR! list only messages with a recipient not matching" {
    printf 'Subject: q\n\nx\n' | write_msg
    run sm -odq someone@example.com < "$MSG"
    run sm -odq other@example.net < "$MSG"
    run --separate-stderr mq -q!Rexample.com
    assert_success
    assert_line --index 0 "$(printf '\t\t%s/queue (1 request)' "$INST")"
    assert_line $'\t\t\t\t\t other@example.net'
    refute_line $'\t\t\t\t\t someone@example.com'
    local negated=$output
    run --separate-stderr mq -qR!example.com
    assert_success
    assert_output "$negated"
    run --separate-stderr mq -qSROOT -qRexample.com
    assert_line $'\t\t\t\t\t someone@example.com'
    assert_equal "${lines[-1]}" $'\t\tTotal requests: 1'
}

@test "mailq with an unknown mailq_format exits 78" {
    set_param mailq_format exim
    run --separate-stderr mq
    assert_failure 78
    assert_output ''
    assert_equal "$stderr" "mailq: fatal: mailq_format = exim: must be sendmail or postfix"
}

@test "mailq -qL lists a damaged file in corrupt/ as a lost item with status ?; plain mailq does not" {
    printf 'Subject: far\n\nx\n' | write_msg
    run sm -odq someone@example.com < "$MSG"
    assert_success
    flush
    local qid
    qid=$(ls "$INST/queue/deferred")
    mv "$INST/queue/deferred/$qid" "$INST/queue/corrupt/$qid"
    truncate -s 20 "$INST/queue/corrupt/$qid"
    run --separate-stderr mq -qL
    assert_success
    assert_line --index 0 "$(printf '\t\t%s/queue (1 request)' "$INST")"
    assert_line --index 2 --regexp "^${qid}\\?      20 $QTIME_RE "
    run --separate-stderr sm -bp -qL
    assert_line --index 2 --regexp "^${qid}\\?"
    run --separate-stderr mq
    assert_success
    refute_output --partial "$qid"
}

# The daemon's answer (submission protocol version 2, REPLY), and the command's without it.

# The daemon's answer to a protocol-2 client, as the native front gets it.
v2() { "${POSTERN_PY:-python3}" "$POSTERN_ROOT/tests/helpers/submit2.py" "$INST/queue/public/submit" "$@"; }
served() { grep -c ' listing served, exit' "$INST/log/maillog" || true; }

# Two remote messages deferred (the relayhost refuses), one with two recipients.

@test "with the daemon running, mailq, sendmail -bp with -q selections and -v, and -bP are the daemon's answer, byte for byte what the command prints" {
    deferred_pair
    local -a cases=("mailq" "mailq -v" "sendmail -bp" "sendmail -bp -qRexample.org"
        "sendmail -bp -q!Rexample.org" "mailq -qS<>" "mailq -qQ" "mailq -qL" "sendmail -bP")
    local -a outs errs codes # (not i: bats' run sets it)
    local n prog
    for n in "${!cases[@]}"; do
        prog=${cases[$n]%% *}
        run --separate-stderr "$BIN/$prog" -C "$INST" ${cases[$n]#"$prog"}
        outs[$n]=$output errs[$n]=$stderr codes[$n]=$status
    done
    [ "$(served)" -eq 0 ]
    pc start 2> /dev/null
    for n in "${!cases[@]}"; do
        prog=${cases[$n]%% *}
        run --separate-stderr "$BIN/$prog" -C "$INST" ${cases[$n]#"$prog"}
        assert_equal "$status" "${codes[$n]}"
        assert_equal "$output" "${outs[$n]}"
        assert_equal "$stderr" "${errs[$n]}"
        run --separate-stderr v2 "$prog" -C "$INST" ${cases[$n]#"$prog"}
        assert_equal "$status" "${codes[$n]}"
        assert_equal "$output" "${outs[$n]}"
        assert_equal "$stderr" "${errs[$n]}"
    done
    # Each of the command's and the client's calls was answered by the daemon.
    [ "$(served)" -eq $(( 2 * ${#cases[@]} )) ]
}

@test "mailq through the daemon lists a message queued a moment ago and no longer one that was removed" {
    set_param maillog_debug yes
    pc start 2> /dev/null
    run --separate-stderr v2 sendmail -C "$INST" -bP
    assert_success
    assert_output "$INST/queue: entries=0"
    printf 'Subject: now\n\nx\n' | write_msg
    sm -i far@example.com < "$MSG"
    run --separate-stderr v2 mailq -C "$INST"
    assert_success
    assert_line --index 0 "$(printf '\t\t%s/queue (1 request)' "$INST")"
    assert_line "$(printf '\t\t\t\t\t far@example.com')"
    run pc queue delete ALL
    assert_success
    run --separate-stderr v2 mailq -C "$INST"
    assert_success
    assert_output "$(printf '%s/queue is empty\n\t\tTotal requests: 0' "$INST")"
}

@test "a protocol-1 client is told to list locally (LOCAL); -bs and -bi stay local for every client" {
    pc start 2> /dev/null
    run "${POSTERN_PY:-python3}" - "$INST/queue/public/submit" << 'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b"POSTERN-SUBMIT 1\n1\n3\n-bp8\nsendmail0\n")
print(s.makefile("rb").readline().decode().strip())
PY
    assert_output LOCAL
    run v2 sendmail -C "$INST" -bi
    assert_equal "$status" 3
    assert_output LOCAL
}

@test "mailq through the daemon: a user authorized_mailq_users does not admit gets exit 77 and sendmail's words; one it admits gets the listing" {
    [ "$(id -u)" -eq 0 ] || skip "needs root to act as another user"
    command -v setpriv > /dev/null || skip "setpriv is not installed"
    deferred_pair
    readable_by_all
    set_param authorized_mailq_users root
    pc start 2> /dev/null
    local as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    run --separate-stderr "${as_nobody[@]}" "$BIN/mailq" -C "$INST"
    assert_equal "$status" 77
    assert_output ""
    assert_equal "$stderr" "mailq: You are not permitted to see the queue"
    run --separate-stderr "${as_nobody[@]}" "$BIN/sendmail" -C "$INST" -bP
    assert_equal "$status" 77
    assert_equal "$stderr" "mailq: You are not permitted to see the queue"
    run --separate-stderr "${as_nobody[@]}" env POSTERN_PY= python3 \
        "$POSTERN_ROOT/tests/helpers/submit2.py" "$INST/queue/public/submit" mailq -C "$INST"
    assert_equal "$status" 77
    assert_equal "$stderr" "mailq: You are not permitted to see the queue"
    [ "$(served)" -eq 3 ]

    pc stop > /dev/null 2>&1
    set_param authorized_mailq_users static:anyone
    pc start 2> /dev/null
    run --separate-stderr "${as_nobody[@]}" "$BIN/mailq" -C "$INST"
    assert_success
    assert_line --index 0 "$(printf '\t\t%s/queue (2 requests)' "$INST")"
    [ "$(served)" -eq 4 ]
}

@test "with the daemon stopped mailq and postern queue --json list as before, from the files" {
    deferred_pair
    pc start 2> /dev/null
    run --separate-stderr mq
    local listed=$output
    run --separate-stderr pc queue --json
    local json=$output
    [ "$(printf '%s\n' "$json" | wc -l)" -eq 2 ]
    pc stop > /dev/null 2>&1
    [ ! -S "$INST/queue/public/submit" ]
    local before
    before=$(served)
    run --separate-stderr mq
    assert_success
    assert_output "$listed"
    run --separate-stderr pc queue --json
    assert_success
    assert_output "$json"
    [ "$(served)" -eq "$before" ]
}
