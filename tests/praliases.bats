#!/usr/bin/env bats
# praliases(8) (spec f.2) on the compiled aliases table: the instance's alias_database
# (bin/postern init writes "alias_database = hash:aliases"), or the file given with -f.
# Prints key:value lines in table order, or only the named keys.

load helpers/common

setup() {
    T=$BATS_TEST_TMPDIR/w
    mkdir "$T"
    cd "$T"
}

pa() { "$BIN/praliases" "$@"; }

# aliases_instance: an instance in $T/inst whose aliases table holds three entries.
aliases_instance() {
    "$BIN/postern" init "$T/inst" >/dev/null
    printf 'root  alice\npostmaster root\nstaff alice, bob@example.com\n' > "$T/inst/aliases"
    "$BIN/postmap" "$T/inst/aliases"
}

@test "praliases -C DIR prints every alias of alias_database as key:value" {
    aliases_instance
    run --separate-stderr pa -C "$T/inst"
    assert_success
    assert_equal "$stderr" ''
    assert_output 'postmaster:root
root:alice
staff:alice, bob@example.com'
}

@test "praliases KEY... prints the named aliases in argument order, 'No such key' for others" {
    aliases_instance
    run --separate-stderr pa -C "$T/inst" staff nobody root
    assert_success
    assert_equal "$stderr" ''
    assert_output 'staff:alice, bob@example.com
nobody: No such key
root:alice'
}

@test "praliases -f FILE reads FILE.db instead of the instance's table" {
    printf 'ops carol\n' > "$T/other"
    "$BIN/postmap" "$T/other"
    run --separate-stderr pa -f "$T/other"
    assert_success
    assert_equal "$stderr" ''
    assert_output 'ops:carol'
}

@test "praliases -C DIR before the aliases are compiled exits 78 with a one-line message" {
    "$BIN/postern" init "$T/inst" >/dev/null
    rm "$T/inst/aliases.db"
    run --separate-stderr pa -C "$T/inst"
    assert_failure 78
    assert_output ''
    assert_equal "$stderr" "praliases: hash:$T/inst/aliases: $T/inst/aliases.db: no such file"
}

@test "praliases -f FILE without FILE.db exits 78 with a one-line message" {
    printf 'ops carol\n' > "$T/other"
    run --separate-stderr pa -f "$T/other"
    assert_failure 78
    assert_output ''
    assert_equal "$stderr" "praliases: hash:$T/other: $T/other.db: no such file"
}

@test "praliases with an unknown option prints sendmail's usage line (-C names our configuration directory) and exits 64" {
    run --separate-stderr pa -Z
    assert_failure 64
    assert_output ''
    assert_equal "$stderr" "praliases: illegal option -- Z
usage: praliases [-C confdir] [-f aliasfile] [key ...]"
}
