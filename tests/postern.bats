#!/usr/bin/env bats
# postern(8) admin verbs: "init" (the relocatable instance, a contract other tests and
# tools rely on) and "config" (postconf -h style parameter values).

load helpers/common

setup_file() { common_setup_file; }
setup() { common_setup; }


# ---------------------------------------------------------------- init

@test "postern init creates main.cf with root = DIR, users, aliases, queue, spool and log" {
    assert [ -f "$INST/main.cf" ]
    run grep -E '^root = ' "$INST/main.cf"
    assert_output "root = $INST"
    assert [ -f "$INST/aliases" ]
    # The aliases file sends postmaster to the owner, already compiled.
    run grep -vE '^[[:space:]]*(#|$)' "$INST/aliases"
    assert_output "postmaster: $(id -un)"
    assert [ -f "$INST/aliases.db" ]
    local d
    for d in queue/maildrop queue/incoming queue/active queue/deferred queue/hold \
        queue/corrupt mail log; do
        assert [ -d "$INST/$d" ]
    done
}

@test "postern init lists the invoking user and each --user in a passwd(5) users file, homes under DIR" {
    local me
    me=$(id -un)
    run cut -d: -f1 <(grep -vE '^(#|$)' "$INST/users")
    assert_line "$me"
    assert_line alice
    assert_line bob
    # Seven fields per entry; homes under DIR/home/NAME, and they exist.
    run awk -F: '!/^#/ && NF != 7' "$INST/users"
    assert_output ''
    local u
    for u in "$me" alice bob; do
        assert_equal "$(awk -F: -v u="$u" '$1 == u {print $6}' "$INST/users")" "$INST/home/$u"
        assert [ -d "$INST/home/$u" ]
    done
}

@test "postern init makes maildrop drwx-wx-wt and the other queue directories private" {
    assert_equal "$(stat -c %A "$INST/queue/maildrop")" drwx-wx-wt
    local d
    for d in incoming active deferred hold corrupt; do
        assert_equal "$d:$(stat -c %A "$INST/queue/$d")" "$d:drwx------"
    done
}

@test "postern init makes an instance owned by the invoking user" {
    local me
    me=$(id -un)
    assert_equal "$(stat -c %U "$INST/main.cf")" "$me"
    assert_equal "$(stat -c %U "$INST/queue")" "$me"
    assert_equal "$(stat -c %U "$INST/mail")" "$me"
}

@test "postern init refuses to overwrite an existing instance" {
    cp "$INST/main.cf" "$BATS_TEST_TMPDIR/main.cf.before"
    run --separate-stderr "$BIN/postern" init "$INST"
    assert_failure
    assert_regex "$stderr" 'main\.cf'
    run cmp "$INST/main.cf" "$BATS_TEST_TMPDIR/main.cf.before"
    assert_success
}

# ---------------------------------------------------------------- config

@test "postern config queue_directory prints an absolute path" {
    run --separate-stderr pc config queue_directory
    assert_success
    assert_output "$INST/queue"
    assert_equal "$stderr" ""
}

@test "postern config NAME... prints one value per line, defaults included" {
    run --separate-stderr pc config mail_spool_directory message_size_limit myhostname
    assert_success
    assert_line --index 0 "$INST/mail"
    assert_line --index 1 --regexp '^[0-9]+$'
    assert_line --index 2 "$HOST"
    assert_equal "${#lines[@]}" 3
}

@test "postern config without a name prints every parameter as 'name = value'" {
    run --separate-stderr pc config
    assert_success
    assert_line "queue_directory = $INST/queue"
    assert_line "mail_spool_directory = $INST/mail"
    assert_line --regexp '^message_size_limit = [0-9]+$'
    run grep -cvE '^[A-Za-z0-9_]+ = ' <<< "$output"  # Postfix's names, smtp_tls_CAfile too
    assert_output 0
}

@test "postern config -n prints only the parameters set in main.cf" {
    set_param message_size_limit 1234
    run --separate-stderr pc config -n
    assert_success
    assert_line 'message_size_limit = 1234'
    assert_line --regexp '^queue_directory = '
    refute_line --regexp '^hopcount_limit = '
}

@test "postern config -d prints the default, not the main.cf value" {
    set_param message_size_limit 1234
    run --separate-stderr pc config message_size_limit
    assert_output 1234
    run --separate-stderr pc config -d message_size_limit
    assert_success
    assert_output 10240000
}

@test "an unknown parameter in main.cf is warned about with file and line" {
    set_param mesage_size_limit 5
    local line
    line=$(grep -n '^mesage_size_limit' "$INST/main.cf" | cut -d: -f1)
    run --separate-stderr pc config myhostname
    assert_success
    assert_output "$HOST"
    assert_regex "$stderr" "$INST/main\\.cf.*(line )?$line.*mesage_size_limit"
}

@test "postern config with a directory without main.cf exits 78" {
    mkdir "$BATS_TEST_TMPDIR/empty"
    run --separate-stderr "$BIN/postern" -C "$BATS_TEST_TMPDIR/empty" config root
    assert_failure 78
    assert_regex "$stderr" 'main\.cf'
    assert_output ''
}

@test "POSTERN_CONFIG=DIR is equivalent to -C DIR" {
    POSTERN_CONFIG=$INST run --separate-stderr "$BIN/postern" config root queue_directory
    assert_success
    assert_output "$(printf '%s\n%s/queue' "$INST" "$INST")"
}

@test "postern with an unknown verb exits 64 with a usage line" {
    run --separate-stderr pc bogus
    assert_failure 64
    assert_regex "$stderr" 'usage: postern'
}

# ---------------------------------------------------------------- check and lookup

tables_instance() {
    printf 'From:spammer@example.com REJECT\nConnect:192.168.1 RELAY\nexample.net ERROR:4.2.2:450 mailbox full\n' > "$INST/access"
    printf 'info@virt.example bob\n@virt.example error:nouser No such user here\n' > "$INST/virtusertable"
    set_param access_map hash:access
    set_param virtusertable_map hash:virtusertable
    : > "$INST/aliases"
    rm -f "$INST/aliases.db"
}

@test "postern check names a table whose .db is missing, and exits 1" {
    tables_instance
    run --separate-stderr pc check
    assert_failure 1
    assert_output ''
    [[ "$stderr" == *"postern: warning: access_map: database $INST/access.db does not exist: run postmap $INST/access"* ]]
    [[ "$stderr" == *"postern: warning: alias_maps: database $INST/aliases.db does not exist: run newaliases"* ]]
}

@test "postern check names a source edited after its postmap (the classic outage)" {
    tables_instance
    rm "$INST/aliases"
    "$BIN/postmap" "$INST/access" "$INST/virtusertable"
    run pc check
    assert_success
    assert_output ''
    touch -d '+1 minute' "$INST/access"
    run --separate-stderr pc check
    assert_failure 1
    assert_equal "$stderr" "postern: warning: database $INST/access.db is older than source file $INST/access (access_map)"
}

@test "postern check names a mailertable and a TLS policy table whose .db is missing or stale" {
    tables_instance
    rm "$INST/aliases"
    "$BIN/postmap" "$INST/access" "$INST/virtusertable"
    printf 'example.org smtp:[relay.example.org]\n' > "$INST/mailertable"
    printf 'example.org encrypt\n' > "$INST/tls_policy"
    set_param mailertable_map hash:mailertable
    set_param smtp_tls_policy_maps hash:tls_policy
    run --separate-stderr pc check
    assert_failure 1
    assert_output ''
    assert_equal "$stderr" "postern: warning: mailertable_map: database $INST/mailertable.db does not exist: run postmap $INST/mailertable
postern: warning: smtp_tls_policy_maps: database $INST/tls_policy.db does not exist: run postmap $INST/tls_policy"
    "$BIN/postmap" "$INST/mailertable" "$INST/tls_policy"
    run --separate-stderr pc check
    assert_success
    assert_equal "$stderr" ''
    # check stays strict: a source edited a moment ago is named at once (the lookups' warning
    # waits 100 s, as Postfix's does).
    touch -d '+5 seconds' "$INST/mailertable"
    run --separate-stderr pc check
    assert_failure 1
    assert_equal "$stderr" "postern: warning: database $INST/mailertable.db is older than source file $INST/mailertable (mailertable_map)"
}

@test "postern check reports a Berkeley DB left by sendmail instead of reading it" {
    tables_instance
    rm "$INST/aliases" "$INST/virtusertable"
    cp "$BATS_TEST_DIRNAME/../maps/src/test/resources/org/postern/maps/hash/hash-littleendian.db" "$INST/access.db"
    touch -d '-1 minute' "$INST/access"
    run --separate-stderr pc check
    assert_failure 1
    assert_equal "$stderr" "postern: warning: access_map: $INST/access.db is not a Postern table: run postmap $INST/access"
}

@test "postern lookup access shows every key tried in sendmail's order and the winner" {
    tables_instance
    "$BIN/postmap" "$INST/access"
    run pc lookup access From:joe@example.net
    assert_success
    assert_output "tried from:joe@example.net
tried joe@example.net
tried from:joe@
tried joe@
tried from:example.net
tried example.net
matched example.net -> ERROR:4.2.2:450 mailbox full => ERROR 450 4.2.2 mailbox full"
    run pc lookup access Connect:mx.foo.example[192.168.1.7]
    assert_success
    assert_line --index 0 "tried connect:mx.foo.example"
    assert_line "matched connect:192.168.1 -> RELAY => RELAY"
    run pc lookup access From:friend@example.org
    assert_failure 1
    assert_line "no match"
}

@test "postern lookup virtusertable applies sendmail's key order and error: results" {
    tables_instance
    "$BIN/postmap" "$INST/virtusertable"
    run pc lookup virtusertable info@virt.example
    assert_success
    assert_output "tried info@virt.example
matched info@virt.example -> bob => bob"
    run pc lookup virtusertable someone+x@virt.example
    assert_success
    assert_line --index 0 "tried someone+x@virt.example"
    assert_line "matched @virt.example -> error:nouser No such user here => error 550 5.1.1 No such user here"
}

@test "postern lookup refuses an unknown map with a usage error" {
    run pc lookup aliases root
    assert_failure 64
}
