#!/usr/bin/env bats
# makemap(8) with sendmail's flags (spec e.6, f.2): "makemap [flags] type mapname < input"
# builds mapname.db, "-u" dumps it. No continuation lines; a bad line is reported as
# "makemap: warning: MAP, line N: ..." and makes the exit status 65 (EX_DATAERR) while
# the map is still built from the other lines.

load helpers/common

setup() {
    T=$BATS_TEST_TMPDIR/w
    mkdir "$T"
    cd "$T"
}

mm() { "$BIN/makemap" "$@"; }

# sendmail 8.17's makemap usage(), three lines aligned under the program name; -C names our
# configuration directory, not a sendmail.cf.
USAGE='Usage: makemap [-C confdir] [-N] [-c cachesize] [-D commentchar]
               [-d] [-e] [-f] [-i type] [-l] [-o] [-r] [-s] [-t delimiter]
               [-u] [-v] type mapname'

@test "makemap hash MAP builds MAP.db from stdin, -u dumps key<TAB>value with keys folded" {
    run --separate-stderr mm hash "$T/access" \
        < <(printf '# sendmail access map\nSpammer@Example.COM REJECT\nlocalhost RELAY\nmid Value with  spaces\n')
    assert_success
    assert_output ''
    assert_equal "$stderr" ''
    run ls -A "$T"
    assert_output 'access.db'
    run --separate-stderr mm -u hash "$T/access"
    assert_success
    assert_equal "$stderr" ''
    assert_output "$(printf 'localhost\tRELAY\nmid\tValue with  spaces\nspammer@example.com\tREJECT')"
}

@test "makemap builds a table that postmap -q reads" {
    mm hash "$T/access" <<< 'From:spam.example REJECT'
    run "$BIN/postmap" -q from:spam.example "$T/access"
    assert_success
    assert_output 'REJECT'
}

@test "makemap -t : splits key and value at the delimiter; -u -t : dumps with it" {
    run mm -t : hash "$T/map" < <(printf 'a b:one two\nc:d\n')
    assert_success
    run mm -u hash "$T/map"
    assert_output "$(printf 'a b\tone two\nc\td')"
    run mm -u -t : hash "$T/map"
    assert_output "$(printf 'a b:one two\nc:d')"
}

@test "makemap -D % makes % the comment character and # an ordinary key" {
    run --separate-stderr mm -D % hash "$T/map" < <(printf '%%comment here\n#hash value\nx y\n')
    assert_success
    assert_equal "$stderr" ''
    run mm -u hash "$T/map"
    assert_output "$(printf '#hash\tvalue\nx\ty')"
}

@test "makemap rejects a line with leading space (no continuation), exit 65, builds the rest" {
    run --separate-stderr mm hash "$T/map" < <(printf 'a 1\n  b 2\n\tc 3\nd 4\n')
    assert_failure 65
    assert_output ''
    assert_equal "$stderr" "makemap: warning: $T/map, line 2: syntax error (leading space)
makemap: warning: $T/map, line 3: syntax error (leading space)"
    run mm -u hash "$T/map"
    assert_output "$(printf 'a\t1\nd\t4')"
}

@test "makemap reports 'no RHS for LHS key' for a key without value, exit 65, builds the rest" {
    run --separate-stderr mm hash "$T/map" < <(printf 'lonely\nb 2\n')
    assert_failure 65
    assert_equal "$stderr" "makemap: warning: $T/map, line 1: no RHS for LHS lonely"
    run mm -u hash "$T/map"
    assert_output "$(printf 'b\t2')"
}

@test "makemap -e accepts a key with an empty value" {
    run --separate-stderr mm -e hash "$T/map" < <(printf 'lonely\nb 2\n')
    assert_success
    assert_equal "$stderr" ''
    run mm -u hash "$T/map"
    assert_output "$(printf 'b\t2\nlonely\t')"
}

@test "makemap reports a duplicate key, keeps the first value and exits 65" {
    run --separate-stderr mm hash "$T/map" < <(printf 'a first\nb 2\nA second\n')
    assert_failure 65
    assert_equal "$stderr" "makemap: warning: $T/map, line 3: key a: duplicate key"
    run mm -u hash "$T/map"
    assert_output "$(printf 'a\tfirst\nb\t2')"
}

@test "makemap -r replaces duplicate keys silently: the last value wins" {
    run --separate-stderr mm -r hash "$T/map" < <(printf 'a first\nA second\n')
    assert_success
    assert_equal "$stderr" ''
    run mm -u hash "$T/map"
    assert_output "$(printf 'a\tsecond')"
}

@test "makemap -f keeps the key's case" {
    run --separate-stderr mm -f hash "$T/map" < <(printf 'Foo 1\nfoo 2\n')
    assert_success
    assert_equal "$stderr" ''
    run mm -u hash "$T/map"
    assert_output "$(printf 'Foo\t1\nfoo\t2')"
}

@test "makemap -o adds to an existing map instead of replacing it" {
    mm hash "$T/map" <<< 'a 1'
    run mm -o hash "$T/map" <<< 'b 2'
    assert_success
    run mm -u hash "$T/map"
    assert_output "$(printf 'a\t1\nb\t2')"
}

@test "makemap without -o replaces the whole map" {
    mm hash "$T/map" <<< 'a 1'
    mm hash "$T/map" <<< 'b 2'
    run mm -u hash "$T/map"
    assert_output "$(printf 'b\t2')"
}

@test "makemap btree and implicit also build MAP.db" {
    run mm btree "$T/bt" <<< 'a 1'
    assert_success
    run mm implicit "$T/im" <<< 'b 2'
    assert_success
    run ls -A "$T"
    assert_output "bt.db
im.db"
    run "$BIN/postmap" -s "$T/bt" "$T/im"
    assert_output "$(printf 'a\t1\nb\t2')"
}

@test "makemap -l lists exactly hash, btree and implicit" {
    run --separate-stderr mm -l
    assert_success
    assert_equal "$stderr" ''
    assert_output 'hash
btree
implicit'
}

@test "makemap with an unknown type says so and exits 64, building nothing" {
    run --separate-stderr mm dbm "$T/map" <<< 'a 1'
    assert_failure 64
    assert_output ''
    assert_equal "$stderr" 'makemap: Unknown database type dbm'
    run ls -A "$T"
    assert_output ''
}

@test "makemap with a wrong number of arguments prints the usage and exits 64" {
    run --separate-stderr mm
    assert_failure 64
    assert_output ''
    assert_equal "$stderr" "$USAGE"
    run --separate-stderr mm hash
    assert_failure 64
    assert_equal "$stderr" "$USAGE"
    run --separate-stderr mm hash "$T/a" "$T/b"
    assert_failure 64
    assert_equal "$stderr" "$USAGE"
}
