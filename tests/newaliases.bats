#!/usr/bin/env bats
# newaliases, sendmail -bi and sendmail -I (spec a.2, c): rebuild every hash: file of
# alias_database (or the -oA files) into FILE.db, with sendmail 8.17's diagnostics
# ("FILE: line N: ...", stderr) and statistics line (stdout). Bad lines are skipped and
# leave the exit status 0; an unreadable source exits 72, a type we cannot build 78, a
# table we cannot write 73.

load helpers/common

# Each test starts from an instance whose aliases file has no alias and no .db (postern
# init writes "postmaster: OWNER" and builds it; these tests build their own).
setup() {
    common_setup
    A=$INST/aliases
    printf '# no aliases\n' > "$A"
    rm -f "$A.db"
}

na() { "$BIN/newaliases" -C "$INST" "$@"; }

# aliases TEXT: replaces the instance's aliases file with TEXT (printf format).
aliases() { printf "$1" > "$A"; }

# ---------------------------------------------------------------- the three spellings

@test "newaliases on an empty aliases file builds a table holding only sendmail's @:@ entry" {
    run --separate-stderr na
    assert_success
    assert_output "$A: 0 aliases, longest 0 bytes, 0 bytes total"
    assert_equal "$stderr" ''
    run --separate-stderr "$BIN/praliases" -C "$INST"
    assert_success
    assert_output '@:@'
}

@test "newaliases -C DIR builds aliases.db beside the source and prints sendmail's statistics" {
    aliases 'postmaster: root\nroot: alice\nstaff: alice, bob\n'
    run --separate-stderr na
    assert_success
    # 10+4 + 4+5 + 5+10 bytes: names as written plus values as stored, no NULs.
    assert_output "$A: 3 aliases, longest 10 bytes, 38 bytes total"
    assert_equal "$stderr" ''
    run ls -A "$INST"
    assert_line 'aliases.db'
    refute_line --regexp '^\.tmp\.'
}

@test "sendmail -bi behaves as newaliases" {
    aliases 'postmaster: root\n'
    run --separate-stderr "$BIN/sendmail" -C "$INST" -bi
    assert_success
    assert_output "$A: 1 aliases, longest 4 bytes, 14 bytes total"
    assert_equal "$stderr" ''
    run "$BIN/postmap" -q postmaster "hash:$A"
    assert_output 'root'
}

@test "sendmail -I behaves as newaliases" {
    aliases 'postmaster: root\n'
    run --separate-stderr "$BIN/sendmail" -C "$INST" -I
    assert_success
    assert_output "$A: 1 aliases, longest 4 bytes, 14 bytes total"
    assert_equal "$stderr" ''
}

# ---------------------------------------------------------------- what readers see

@test "postmap -q and praliases see the rebuilt aliases, @:@ included, keys folded" {
    aliases 'PostMaster: root\nroot: alice\nstaff: alice,\n  bob@example.com\n'
    na
    run --separate-stderr "$BIN/postmap" -q postmaster "hash:$A"
    assert_success
    assert_output 'root'
    run --separate-stderr "$BIN/postmap" -q STAFF "hash:$A"
    assert_success
    assert_output 'alice,  bob@example.com'
    run --separate-stderr "$BIN/praliases" -C "$INST"
    assert_success
    assert_output '@:@
postmaster:root
root:alice
staff:alice,  bob@example.com'
    assert_equal "$stderr" ''
}

@test "a rebuild replaces the old table: removed aliases are gone" {
    aliases 'old: alice\nkept: bob\n'
    na
    aliases 'kept: alice\n'
    run --separate-stderr na
    assert_success
    run "$BIN/praliases" -C "$INST"
    assert_output '@:@
kept:alice'
}

# ---------------------------------------------------------------- aliases(5) syntax

@test "continuation lines (blank-led or after a backslash) join; comments inside are skipped" {
    aliases 'list: alice,\n# bob left\n  carol,\n\terin\nother: a,\\\nb\n'
    run --separate-stderr na
    assert_success
    assert_equal "$stderr" ''
    run "$BIN/praliases" -C "$INST" list other
    assert_output 'list:alice,  carol,	erin
other:a,b'
}

@test "bad lines are reported as FILE: line N in sendmail's words, skipped, exit 0" {
    aliases 'good: alice\nno colon here\nempty:\nbob@example.com: alice\n: nobody\n'
    printf 'q: "|/bin/x\nfine: bob\n' >> "$A"
    run --separate-stderr na
    assert_success
    assert_output "$A: 2 aliases, longest 5 bytes, 16 bytes total"
    assert_equal "$stderr" "$A: line 2: missing colon
$A: line 3: empty:... missing value for alias
$A: line 4: bob@example.com... cannot alias non-local names
$A: line 5: : nobody... illegal alias name
$A: line 6: q: \"|/bin/x... Unbalanced '\"'"
    run "$BIN/praliases" -C "$INST"
    assert_output '@:@
fine:bob
good:alice'
}

@test "a duplicate alias warns in sendmail's words and the last one wins" {
    aliases 'dup: first\nother: x\ndup: second\n'
    run --separate-stderr na
    assert_success
    assert_output "$A: 3 aliases, longest 6 bytes, 23 bytes total"
    assert_equal "$stderr" "$A: line 3: dup... Warning: duplicate alias name dup"
    run "$BIN/postmap" -q dup "hash:$A"
    assert_output 'second'
}

@test "a quoted name is stored with its quotes" {
    aliases '"Quoted Key": root\n'
    na
    run "$BIN/praliases" -C "$INST"
    assert_output '"quoted key":root
@:@'
}

# ---------------------------------------------------------------- which files

@test "-oAFILE rebuilds FILE (relative to the current directory) instead of alias_database" {
    cd "$BATS_TEST_TMPDIR"
    printf 'ops: carol\n' > other
    run --separate-stderr na -oAother
    assert_success
    assert_output "$BATS_TEST_TMPDIR/other: 1 aliases, longest 5 bytes, 8 bytes total"
    assert_equal "$stderr" ''
    [ -f "$BATS_TEST_TMPDIR/other.db" ]
    [ ! -e "$A.db" ]
    run "$BIN/praliases" -f "$BATS_TEST_TMPDIR/other"
    assert_output '@:@
ops:carol'
}

@test "-oA may repeat and takes type:file; sendmail -bi honours it too" {
    printf 'a: x\n' > "$BATS_TEST_TMPDIR/one"
    printf 'b: y\n' > "$BATS_TEST_TMPDIR/two"
    run --separate-stderr "$BIN/sendmail" -C "$INST" -bi -oA"$BATS_TEST_TMPDIR/one" \
        -oAhash:"$BATS_TEST_TMPDIR/two"
    assert_success
    assert_output "$BATS_TEST_TMPDIR/one: 1 aliases, longest 1 bytes, 2 bytes total
$BATS_TEST_TMPDIR/two: 1 aliases, longest 1 bytes, 2 bytes total"
    assert_equal "$stderr" ''
}

@test "every file of alias_database is rebuilt, relative names against the instance" {
    printf 'b: y\n' > "$INST/more"
    set_param alias_database 'hash:aliases, hash:more'
    run --separate-stderr na
    assert_success
    assert_output "$A: 0 aliases, longest 0 bytes, 0 bytes total
$INST/more: 1 aliases, longest 1 bytes, 2 bytes total"
    [ -f "$INST/more.db" ]
}

# ---------------------------------------------------------------- failures

@test "an unreadable alias file: one line naming it, exit 72 (EX_OSFILE)" {
    [ "$(id -u)" -ne 0 ] || skip "root reads any file"
    chmod 000 "$A"
    run --separate-stderr na
    assert_failure 72
    assert_output ''
    assert_equal "$stderr" "newaliases: cannot open $A: Permission denied"
}

@test "a missing alias file: one line naming it, exit 72 (EX_OSFILE), no table" {
    rm "$A"
    run --separate-stderr na
    assert_failure 72
    assert_output ''
    assert_equal "$stderr" "newaliases: cannot open $A: No such file or directory"
    [ ! -e "$A.db" ]
}

@test "a missing file does not stop the other files; the exit status is still 72" {
    printf 'b: y\n' > "$INST/more"
    set_param alias_database 'hash:gone, hash:more'
    run --separate-stderr na
    assert_failure 72
    assert_output "$INST/more: 1 aliases, longest 1 bytes, 2 bytes total"
    assert_equal "$stderr" "newaliases: cannot open $INST/gone: No such file or directory"
}

@test "an alias_database type that cannot be built exits 78 (EX_CONFIG)" {
    set_param alias_database 'texthash:aliases'
    run --separate-stderr na
    assert_failure 78
    assert_output ''
    local why='cannot rebuild this type of alias database (only hash: and btree:)'
    assert_equal "$stderr" "newaliases: texthash:$A: $why"
}

@test "a table that cannot be written exits 73 (EX_CANTCREAT) naming the file" {
    aliases 'a: b\n'
    mkdir -p "$A.db/in-the-way"
    run --separate-stderr na
    assert_failure 73
    assert_output ''
    assert_equal "$stderr" "newaliases: Cannot create database for alias file $A: Is a directory"
    run ls -A "$INST"
    refute_line --regexp '^\.tmp\.'
}
