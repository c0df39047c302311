#!/usr/bin/env bats
# postern queue: the queue administration verbs (postqueue -j, postsuper -h/-H/-d/-r,
# postqueue -f, postcat -q), sendmail's -q[!]R/S/I runs and -Q, and who may see and change
# the queue (authorized_mailq_users, envelope ownership, file modes).

load helpers/common

setup_file() { common_setup_file; }
setup() { common_setup; }

teardown() {
    if [ -n "${PERM:-}" ]; then rm -rf "$PERM"; fi
}

pq() { "$BIN/postern" -C "$INST" queue "$@"; }
maillog() { cat "$INST/log/maillog"; }

# submit TO...: queues a message without delivering it, prints nothing.
submit() { printf 'Subject: q\n\nhello\n' | "$BIN/sendmail" -C "$INST" -odq "$@"; }

# ids STATE: the queue ids in one state directory, one per line, oldest first.
ids() { ls "$INST/queue/$1"; }

# json_summary: queue_name, sender, forced_expire, and address[=delay_reason] of each
# recipient of every postqueue -j line on stdin, parsed as JSON.
json_summary() {
    "${POSTERN_PY:-python3}" -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    assert set(o) == {"queue_name", "queue_id", "arrival_time", "message_size",
                      "forced_expire", "sender", "recipients"}, sorted(o)
    assert isinstance(o["arrival_time"], int) and isinstance(o["message_size"], int)
    rcpts = [r["address"] + ("=" + r["delay_reason"] if "delay_reason" in r else "")
             for r in o["recipients"]]
    print(o["queue_name"], o["sender"], str(o["forced_expire"]).lower(), " ".join(rcpts))
'
}

USAGE_RE='^usage: postern \[-C config_dir\] queue '

@test "postern queue lists the queue as mailq does" {
    submit bob
    run --separate-stderr pq
    assert_success
    assert_equal "$stderr" ""
    assert_output "$(mq)"
    run --separate-stderr pq list
    assert_success
    assert_output "$(mq)"
}

@test "postern queue --json prints one postqueue -j object per message per line" {
    submit bob alice
    submit -f '<>' someone@example.com
    "$BIN/sendmail" -C "$INST" -q
    run --separate-stderr pq --json
    assert_success
    assert_equal "$stderr" ""
    assert_equal "${#lines[@]}" 1
    run json_summary <<< "$output"
    assert_output "deferred MAILER-DAEMON false someone@example.com=$DEAD_RELAY_TEXT"
    submit bob
    run --separate-stderr pq list --json
    assert_success
    run json_summary <<< "$output"
    # Not yet picked up: the sender as submitted, before cleanup qualifies it.
    assert_line --index 1 "maildrop root false bob"
}

@test "postern queue hold - reads ids from stdin; mailq shows QUARANTINE; release brings them back" {
    submit someone@example.com
    submit other@example.net
    flush
    local a b
    a=$(ids deferred | sed -n 1p)
    b=$(ids deferred | sed -n 2p)
    run --separate-stderr pq hold - <<< "$(printf '%s\n\n%s\n' "$a" "$b")"
    assert_success
    assert_equal "$stderr" ""
    assert_output "$(printf '%s: placed on hold\n%s: placed on hold' "$a" "$b")"
    assert_equal "$(ids hold | wc -l)" 2
    run mq
    assert_equal "$(grep -c '^     QUARANTINE: held by the administrator$' <<< "$output")" 2
    run --separate-stderr pq release "$a" "$b"
    assert_success
    assert_output "$(printf '%s: released from hold\n%s: released from hold' "$a" "$b")"
    assert_equal "$(ids deferred | wc -l)" 2
    run maillog
    assert_line --regexp "postern/postsuper\[[0-9]+\]: $a: placed on hold\$"
    assert_line --regexp "postern/postsuper\[[0-9]+\]: $a: released from hold\$"
}

@test "postern queue delete removes the queue file and its status file and logs 'ID: removed'" {
    submit someone@example.com
    flush
    local id
    id=$(ids deferred)
    assert [ -f "$INST/queue/status/$id" ]
    run --separate-stderr pq delete "$id"
    assert_success
    assert_equal "$stderr" ""
    assert_output "$id: removed"
    assert_equal "$(queue_files)" 0
    assert [ ! -e "$INST/queue/status/$id" ]
    run maillog
    assert_line --regexp "postern/postsuper\[[0-9]+\]: $id: removed\$"
}

@test "postern queue delete --dry-run prints what it would do and changes nothing" {
    submit someone@example.com
    submit other@example.net
    flush
    run --separate-stderr pq delete --dry-run --to EXAMPLE.COM ALL
    assert_success
    assert_equal "$stderr" ""
    assert_output --regexp '^[0-9A-Z]{16}: would be removed$'
    assert_equal "$(queue_files)" 2
}

@test "postern queue: an unknown id is one line on stderr and exit 1, the others are done" {
    submit someone@example.com
    flush
    local id
    id=$(ids deferred)
    run --separate-stderr pq hold 0TP1ZZZZZZZZZZZZ "$id" nonsense
    assert_failure 1
    assert_output "$id: placed on hold"
    assert_equal "$stderr" "$(printf 'postern: queue: 0TP1ZZZZZZZZZZZZ: no such message\npostern: queue: nonsense: no such message')"
}

@test "postern queue: bad usage exits 64 with the usage line" {
    run --separate-stderr pq hold
    assert_failure 64
    assert_output ''
    assert_equal "${stderr_lines[0]}" "postern: queue: hold: no messages selected (give queue ids, - to read them from stdin, ALL, or a filter)"
    assert_regex "${stderr_lines[1]}" "$USAGE_RE"
    run --separate-stderr pq frobnicate
    assert_failure 64
    assert_equal "${stderr_lines[0]}" "postern: queue: unknown action: frobnicate"
    run --separate-stderr pq delete --older-than 3x ALL
    assert_failure 64
    assert_equal "${stderr_lines[0]}" "postern: queue: --older-than: 3x: unknown unit 'x' (s, m, h, d or w)"
}

@test "postern queue --from/--to/--older-than select from the whole queue, case-insensitively" {
    submit someone@example.com
    printf 'Subject: q\n\nhello\n' | "$BIN/sendmail" -C "$INST" -odq -f carol@other.org x@example.net
    flush
    run --separate-stderr pq hold --from CAROL@ --to example.NET
    assert_success
    assert_output --regexp '^[0-9A-Z]{16}: placed on hold$'
    assert_equal "$(ids hold | wc -l)" 1
    run --separate-stderr pq delete --older-than 1h ALL
    assert_success
    assert_output ''
    assert_equal "$(queue_files)" 2
}

@test "postern queue requeue makes a deferred message due now and forgets its backoff" {
    submit someone@example.com
    flush
    local id
    id=$(ids deferred)
    # Deferred and not yet due: sendmail's "too young" mark.
    run mq
    assert_line --index 2 --regexp "^$id- "
    run --separate-stderr pq requeue "$id"
    assert_success
    assert_output "$id: requeued"
    run mq
    assert_line --index 2 --regexp "^$id  "
    run pq show "$id"
    assert_line 'attempts: 0'
}

@test "postern queue flush DOMAIN makes that domain's deferred mail due and runs the queue" {
    submit someone@example.com
    submit other@example.net
    flush
    submit bob
    local com
    com=$(grep -l 'someone@example.com' "$INST"/queue/deferred/* | xargs -n1 basename)
    run --separate-stderr pq flush example.com
    assert_success
    assert_equal "$stderr" ""
    assert_line --index 0 "$com: due now"
    # Attempted: the flushed message and the new one; other@example.net was not yet due.
    assert_line --index 1 "queue run: 2 attempted, 1 deferred"
    assert_equal "$(mbox_count bob)" 1
}

@test "postern queue show ID prints envelope records, delivery status and the message" {
    submit someone@example.com bob
    flush
    local id
    id=$(ids deferred)
    run --separate-stderr pq show "$id"
    assert_success
    assert_equal "$stderr" ""
    assert_line --index 0 "*** ENVELOPE RECORDS deferred/$id ***"
    assert_line "sender: root@$HOST"
    assert_line "recipient: someone@example.com"
    assert_line "*** DELIVERY STATUS deferred/$id ***"
    assert_line 'attempts: 1'
    assert_line --regexp "^recipient: someone@example.com: deferred 4\\.4\\.1 connect to 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:1: Connection refused \\($CTIME_RE\\)\$"
    assert_line --regexp "^recipient: bob@$HOST: delivered 2\\.0\\.0 "
    assert_line "*** MESSAGE CONTENTS deferred/$id ***"
    assert_line 'Subject: q'
    assert_line 'hello'
    assert_equal "${lines[-1]}" "*** MESSAGE FILE END deferred/$id ***"
}

@test "sendmail -qR retries only the deferred messages with a matching recipient" {
    submit someone@example.com
    submit other@example.net
    flush
    local com net
    com=$(grep -l 'someone@example.com' "$INST"/queue/deferred/* | xargs -n1 basename)
    net=$(grep -l 'other@example.net' "$INST"/queue/deferred/* | xargs -n1 basename)
    run --separate-stderr sm -qRexample.net
    assert_success
    assert_equal "$stderr" ""
    run pq show "$net"
    assert_line 'attempts: 2'
    run pq show "$com"
    assert_line 'attempts: 1'
    run --separate-stderr sm -q!Rexample.net -qf
    assert_success
    run pq show "$com"
    assert_line 'attempts: 2'
}

@test "sendmail -Qreason puts the selected messages on hold and a bare -Q releases them" {
    submit someone@example.com
    submit other@example.net
    flush
    run --separate-stderr sm -Qspam -qRexample.com
    assert_success
    assert_equal "$stderr" ""
    assert_equal "$(ids hold | wc -l)" 1
    run mq -qQ
    assert_line "$(printf '\t\t%s/queue (1 request)' "$INST")"
    assert_line $'\t\t\t\t\t someone@example.com'
    run --separate-stderr sm -Q
    assert_success
    assert_equal "$(ids hold | wc -l)" 0
}

# ---------------------------------------------------------------- permissions (as root)

# perm_instance: a root-owned instance nobody can reach, with one queued message of root's,
# whose id is in QID. Its queue files are root's and private, as in an installation.
perm_instance() {
    [ "$(id -u)" = 0 ] || skip "needs root to act as nobody"
    PERM=$(mktemp -d /tmp/postern-queue-bats.XXXXXX)
    chmod 755 "$PERM"
    INST=$PERM/inst
    init_instance "$INST"
    submit someone@example.com
    flush
    QID=$(ids deferred)
}

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

@test "mailq as nobody against queue files nobody can read: not permitted, exit 77" {
    perm_instance
    run --separate-stderr as_nobody "$BIN/mailq" -C "$INST"
    assert_failure 77
    assert_output ''
    assert_equal "$stderr" "mailq: You are not permitted to see the queue"
    run --separate-stderr as_nobody "$BIN/postern" -C "$INST" queue --json
    assert_failure 77
    assert_equal "$stderr" "postern: queue: You are not permitted to see the queue"
    run --separate-stderr as_nobody "$BIN/postern" -C "$INST" queue delete "$QID"
    assert_failure 77
    assert_equal "$stderr" "postern: queue: $QID: permission denied"
    assert [ -f "$INST/queue/deferred/$QID" ]
}

@test "authorized_mailq_users decides who may list a queue whose files they can read" {
    perm_instance
    chmod -R o+rX "$INST/queue"
    run --separate-stderr as_nobody "$BIN/mailq" -C "$INST"
    assert_success
    assert_line --index 2 --regexp "^$QID"
    set_param authorized_mailq_users static:root
    run --separate-stderr as_nobody "$BIN/mailq" -C "$INST"
    assert_failure 77
    assert_equal "$stderr" "mailq: You are not permitted to see the queue"
    run --separate-stderr "$BIN/mailq" -C "$INST"
    assert_success
    set_param authorized_mailq_users "alice, nobody"
    run --separate-stderr as_nobody "$BIN/postern" -C "$INST" queue --json
    assert_success
    assert_output --regexp "\"queue_id\": \"$QID\""
}

@test "nobody may not delete, hold, requeue or show root's message even when they can read it" {
    perm_instance
    chmod -R o+rX "$INST/queue"
    local verb
    for verb in delete hold requeue show; do
        run --separate-stderr as_nobody "$BIN/postern" -C "$INST" queue "$verb" "$QID"
        assert_failure 77
        assert_output ''
        assert_equal "$stderr" "postern: queue: $QID: permission denied"
    done
    assert [ -f "$INST/queue/deferred/$QID" ]
}
