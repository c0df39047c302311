#!/usr/bin/env bats
# postmap(1) as admins use it (spec e.6, f.1): compile [type:]file into file.db, query,
# delete, dump, incremental updates, the input rules of Postfix's source format, file
# modes, foreign and stale databases. Every test works on files in $BATS_TEST_TMPDIR/w and
# passes absolute paths, so the file names in diagnostics are predictable.

load helpers/common

setup() {
    T=$BATS_TEST_TMPDIR/w
    mkdir "$T"
    cd "$T"
}

pm() { "$BIN/postmap" "$@"; }

# ---------------------------------------------------------------- compile and query

@test "postmap FILE builds FILE.db silently and -q prints the value, exit 0" {
    printf 'alice@example.com alice\nbob@example.com bob\n' > "$T/virtual"
    run --separate-stderr pm "$T/virtual"
    assert_success
    assert_output ''
    assert_equal "$stderr" ''
    # Only FILE.db appears next to the source: no temp file is left behind.
    run ls -A "$T"
    assert_output "virtual
virtual.db"
    run --separate-stderr pm -q bob@example.com "$T/virtual"
    assert_success
    assert_output 'bob'
    assert_equal "$stderr" ''
}

@test "postmap -q of a missing key prints nothing and exits 1" {
    printf 'a 1\n' > "$T/map"
    pm "$T/map"
    run --separate-stderr pm -q nope "$T/map"
    assert_failure 1
    assert_output ''
    assert_equal "$stderr" ''
}

@test "postmap hash:FILE is the same table as FILE" {
    printf 'a 1\n' > "$T/map"
    run pm "hash:$T/map"
    assert_success
    run pm -q a "$T/map"
    assert_success
    assert_output '1'
}

@test "postmap folds keys to lower case (values keep theirs) and folds the query key" {
    printf 'User@Example.COM Alice.Smith\n' > "$T/map"
    pm "$T/map"
    run pm -s "$T/map"
    assert_output "$(printf 'user@example.com\tAlice.Smith')"
    run pm -q USER@EXAMPLE.COM "$T/map"
    assert_success
    assert_output 'Alice.Smith'
}

@test "postmap -f keeps the key's case: Foo and foo are two entries, lookups are exact" {
    printf 'Foo upper\nfoo lower\n' > "$T/map"
    run --separate-stderr pm -f "$T/map"
    assert_success
    assert_equal "$stderr" ''
    run pm -s "$T/map"
    assert_output "$(printf 'Foo\tupper\nfoo\tlower')"
    run pm -f -q Foo "$T/map"
    assert_success
    assert_output 'upper'
    run pm -f -q FOO "$T/map"
    assert_failure 1
    assert_output ''
}

# ---------------------------------------------------------------- input syntax (spec e.6)

@test "postmap joins continuation lines keeping their blanks; blank lines and indented comments are skipped" {
    printf '%s\n' '# header comment' 'a one' '   continued' 'b two' '' '  after blank' \
        'c three' '    # indented comment' '	tab cont' > "$T/map"
    run --separate-stderr pm "$T/map"
    assert_success
    assert_equal "$stderr" ''
    run pm -s "$T/map"
    assert_output "$(printf 'a\tone   continued\nb\ttwo  after blank\nc\tthree\ttab cont')"
}

@test "postmap warns about a logical line that starts with whitespace and skips it" {
    printf '  lead x\na 1\n' > "$T/map"
    run --separate-stderr pm "$T/map"
    assert_success
    assert_equal "$stderr" \
        "postmap: warning: $T/map, line 1: logical line must not start with whitespace: \"  lead x\""
    run pm -s "$T/map"
    assert_output "$(printf 'a\t1')"
}

@test "postmap stores a quoted key with its quotes, found by -q - with the quotes" {
    printf '"john smith" jsmith\n' > "$T/map"
    run --separate-stderr pm "$T/map"
    assert_success
    assert_equal "$stderr" ''
    run pm -s "$T/map"
    assert_output "$(printf '"john smith"\tjsmith')"
    run pm -q - "$T/map" <<< '"john smith"'
    assert_success
    assert_output "$(printf '"john smith"\tjsmith')"
}

@test "postmap -q '\"quoted key\"' finds the quoted key (quotes are part of the argument)" {
    printf '"john smith" jsmith\n"x" y\n' > "$T/map"
    pm "$T/map"
    run pm -q '"john smith"' "$T/map"
    assert_success
    assert_output 'jsmith'
    run pm -q '"x"' "$T/map"
    assert_success
    assert_output 'y'
    # Without the quotes it is another key.
    run pm -q 'x' "$T/map"
    assert_failure 1
}

@test "postmap -d '\"x\"' deletes the quoted key, never the unquoted x" {
    printf 'x plain\n"x" quoted\n' > "$T/map"
    pm "$T/map"
    run pm -d '"x"' "$T/map"
    assert_success
    run pm -s "$T/map"
    assert_output "$(printf 'x\tplain')"
}

@test "postmap warns about a duplicate key with file and line and keeps the first value" {
    printf 'a first\nb 2\nA second\n' > "$T/map"
    run --separate-stderr pm "$T/map"
    assert_success
    assert_equal "$stderr" "postmap: warning: $T/map, line 3: duplicate entry: \"a\""
    run pm -q a "$T/map"
    assert_output 'first'
}

@test "postmap -r replaces duplicates silently: the last value wins" {
    printf 'a first\na second\na third\n' > "$T/map"
    run --separate-stderr pm -r "$T/map"
    assert_success
    assert_equal "$stderr" ''
    run pm -q a "$T/map"
    assert_output 'third'
}

@test "postmap -w ignores duplicates silently: the first value stays" {
    printf 'a first\na second\n' > "$T/map"
    run --separate-stderr pm -w "$T/map"
    assert_success
    assert_equal "$stderr" ''
    run pm -q a "$T/map"
    assert_output 'first'
}

@test "postmap warns about a key without value with file:line, skips it and builds the rest" {
    printf 'a 1\nlonely\nb 2\n' > "$T/map"
    run --separate-stderr pm "$T/map"
    assert_success
    assert_equal "$stderr" "postmap: warning: $T/map, line 2: expected format: key whitespace value"
    run pm -s "$T/map"
    assert_output "$(printf 'a\t1\nb\t2')"
}

@test "postmap reports bad lines with their physical line numbers after continuations" {
    printf 'a 1\n  more\n# c\n\nlonely\n' > "$T/map"
    run --separate-stderr pm "$T/map"
    assert_success
    assert_equal "$stderr" "postmap: warning: $T/map, line 5: expected format: key whitespace value"
}

# ---------------------------------------------------------------- bulk query

@test "postmap -q - prints key<TAB>value for each found stdin key in input order, exit 0" {
    printf 'a 1\nb 2\nc 3\n' > "$T/map"
    pm "$T/map"
    run --separate-stderr pm -q - "$T/map" < <(printf 'c\nnope\na\n')
    assert_success
    assert_output "$(printf 'c\t3\na\t1')"
    assert_equal "$stderr" ''
}

@test "postmap -q - exits 1 and prints nothing when no stdin key is found" {
    printf 'a 1\n' > "$T/map"
    pm "$T/map"
    run --separate-stderr pm -q - "$T/map" < <(printf 'x\ny\n')
    assert_failure 1
    assert_output ''
    assert_equal "$stderr" ''
}

# ---------------------------------------------------------------- several maps

@test "postmap -q k a b returns the first map's value and falls through to the next" {
    printf 'k from-a\n' > "$T/a"
    printf 'k from-b\nj only-b\n' > "$T/b"
    pm "$T/a" "$T/b"
    run pm -q k "$T/a" "$T/b"
    assert_success
    assert_output 'from-a'
    run pm -q j "$T/a" "$T/b"
    assert_success
    assert_output 'only-b'
    run pm -q - "$T/a" "$T/b" < <(printf 'j\nk\n')
    assert_output "$(printf 'j\tonly-b\nk\tfrom-a')"
    # -s dumps each map in turn.
    run pm -s "$T/a" "$T/b"
    assert_output "$(printf 'k\tfrom-a\nj\tonly-b\nk\tfrom-b')"
}

# ---------------------------------------------------------------- delete, dump, incremental

@test "postmap -d key removes the (folded) key from the db, not from the source, exit 0" {
    printf 'a 1\nb 2\nc 3\n' > "$T/map"
    pm "$T/map"
    run --separate-stderr pm -d B "$T/map"
    assert_success
    assert_output ''
    assert_equal "$stderr" ''
    run pm -s "$T/map"
    assert_output "$(printf 'a\t1\nc\t3')"
    run cat "$T/map"
    assert_output "$(printf 'a 1\nb 2\nc 3')"
}

@test "postmap -d of a missing key exits 1 and leaves the table as it was" {
    printf 'a 1\n' > "$T/map"
    pm "$T/map"
    run --separate-stderr pm -d nope "$T/map"
    assert_failure 1
    assert_output ''
    assert_equal "$stderr" ''
    run pm -s "$T/map"
    assert_output "$(printf 'a\t1')"
}

@test "postmap -d - deletes every stdin key: exit 0 if any was there, 1 if none" {
    printf 'a 1\nb 2\nc 3\n' > "$T/map"
    pm "$T/map"
    run pm -d - "$T/map" < <(printf 'a\nnope\nc\n')
    assert_success
    run pm -s "$T/map"
    assert_output "$(printf 'b\t2')"
    run pm -d - "$T/map" < <(printf 'a\nnope\n')
    assert_failure 1
}

@test "postmap -s dumps every entry as key<TAB>value, with continuations joined" {
    printf 'zeta last\nalpha first\nmid a  b\n  c\n' > "$T/map"
    pm "$T/map"
    run --separate-stderr pm -s "$T/map"
    assert_success
    assert_equal "$stderr" ''
    assert_equal "${#lines[@]}" 3
    assert_line "$(printf 'alpha\tfirst')"
    assert_line "$(printf 'mid\ta  b  c')"
    assert_line "$(printf 'zeta\tlast')"
}

@test "postmap -i adds stdin entries to the db, folding keys, keeping existing entries" {
    printf 'a 1\nb 2\n' > "$T/map"
    pm "$T/map"
    run --separate-stderr pm -i "$T/map" < <(printf 'x 9\nY Eight\n')
    assert_success
    assert_equal "$stderr" ''
    run pm -s "$T/map"
    assert_output "$(printf 'a\t1\nb\t2\nx\t9\ny\tEight')"
    # The source file is not touched.
    run cat "$T/map"
    assert_output "$(printf 'a 1\nb 2')"
}

@test "postmap -i -r replaces an existing entry with the stdin value" {
    printf 'a 1\nb 2\n' > "$T/map"
    pm "$T/map"
    run pm -i -r "$T/map" < <(printf 'a 3\n')
    assert_success
    run pm -s "$T/map"
    assert_output "$(printf 'a\t3\nb\t2')"
}

# ---------------------------------------------------------------- file modes and atomicity

@test "postmap gives FILE.db the source's read bits: 640 source => 640 db" {
    printf 'a 1\n' > "$T/map"
    chmod 640 "$T/map"
    pm "$T/map"
    run stat -c %a "$T/map.db"
    assert_output '640'
}

@test "postmap -p makes FILE.db mode 0644 whatever the source's mode" {
    printf 'a 1\n' > "$T/map"
    chmod 640 "$T/map"
    pm -p "$T/map"
    run stat -c %a "$T/map.db"
    assert_output '644'
}

@test "postmap replaces FILE.db by rename on rebuild, -d and -i (the inode changes)" {
    printf 'a 1\nb 2\n' > "$T/map"
    pm "$T/map"
    local i1 i2 i3 i4
    i1=$(stat -c %i "$T/map.db")
    pm "$T/map"
    i2=$(stat -c %i "$T/map.db")
    assert_not_equal "$i1" "$i2"
    pm -d a "$T/map"
    i3=$(stat -c %i "$T/map.db")
    assert_not_equal "$i2" "$i3"
    pm -i "$T/map" <<< 'c 3'
    i4=$(stat -c %i "$T/map.db")
    assert_not_equal "$i3" "$i4"
    run ls -A "$T"
    assert_output "map
map.db"
}

# ---------------------------------------------------------------- flags

@test "postmap accepts -N, -n, -o, -v and -c dir" {
    printf 'a 1\n' > "$T/map"
    run pm -N -n -o -v -c "$T" "$T/map"
    assert_success
    run pm -N -n -o -v -c "$T" -q a "$T/map"
    assert_success
    assert_output '1'
}

@test "postmap refuses -b -h -m -F -u -U -x with 'not supported by Postern', exit 1, no db" {
    printf 'a 1\n' > "$T/map"
    local f
    for f in b h m F u U x; do
        run --separate-stderr pm "-$f" "$T/map"
        assert_failure 1
        assert_output ''
        assert_equal "$stderr" "postmap: fatal: option -$f is not supported by Postern"
    done
    assert [ ! -e "$T/map.db" ]
}

@test "postmap with an unknown flag prints the usage and exits 1" {
    printf 'a 1\n' > "$T/map"
    run --separate-stderr pm -Z "$T/map"
    assert_failure 1
    assert_output ''
    assert_equal "${stderr_lines[-1]}" \
        'postmap: fatal: usage: postmap [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file...'
    assert [ ! -e "$T/map.db" ]
}

@test "postmap without a file prints the usage and exits 1" {
    run --separate-stderr pm
    assert_failure 1
    assert_output ''
    assert_equal "$stderr" \
        'postmap: fatal: usage: postmap [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file...'
}

# ---------------------------------------------------------------- errors

@test "postmap of a missing source file is fatal, exit 1, and creates no db" {
    run --separate-stderr pm "$T/missing"
    assert_failure 1
    assert_output ''
    assert_equal "$stderr" "postmap: fatal: open $T/missing: No such file or directory"
    assert [ ! -e "$T/missing.db" ]
}

@test "postmap -q on a foreign FILE.db (garbage) says it is not a Postern table, exit 1" {
    printf 'a 1\n' > "$T/x"
    printf 'garbage' > "$T/x.db"
    run --separate-stderr pm -q a "$T/x"
    assert_failure 1
    assert_output ''
    assert_equal "$stderr" "postmap: fatal: $T/x.db is not a Postern table: run postmap $T/x"
}

@test "postmap -q on a Berkeley DB left by sendmail/Postfix (hash and btree) says run postmap" {
    local res=$POSTERN_ROOT/maps/src/test/resources/org/postern/maps/hash f
    printf 'a 1\n' > "$T/access"
    for f in hash-littleendian btree-bigendian; do
        cp "$res/$f.db" "$T/access.db"
        run --separate-stderr pm -q a "$T/access"
        assert_failure 1
        assert_output ''
        assert_equal "$stderr" \
            "postmap: fatal: $T/access.db is not a Postern table: run postmap $T/access"
    done
}

@test "postmap FILE replaces a foreign Berkeley DB FILE.db with a Postern table" {
    cp "$POSTERN_ROOT/maps/src/test/resources/org/postern/maps/hash/hash-littleendian.db" \
        "$T/access.db"
    printf 'a 1\n' > "$T/access"
    run --separate-stderr pm "$T/access"
    assert_success
    assert_equal "$stderr" ''
    run --separate-stderr pm -q a "$T/access"
    assert_success
    assert_output '1'
    assert_equal "$stderr" ''
}

@test "postmap -q warns once when the source is newer than FILE.db, and still answers" {
    printf 'a old\n' > "$T/map"
    pm "$T/map"
    touch -d '2020-01-01 00:00' "$T/map.db"
    touch -d '-5 minutes' "$T/map"
    run --separate-stderr pm -q a "$T/map"
    assert_success
    assert_output 'old'
    assert_equal "$stderr" \
        "postmap: warning: database $T/map.db is older than source file $T/map"
    run --separate-stderr pm -q - "$T/map" < <(printf 'a\na\n')
    assert_success
    assert_equal "$stderr" \
        "postmap: warning: database $T/map.db is older than source file $T/map"
}

@test "postmap -q right after editing FILE does not warn; 100 s later it does (Postfix's rule)" {
    printf 'a old\n' > "$T/map"
    pm "$T/map"
    touch -d '-1 hour' "$T/map.db"
    printf 'a new\n' > "$T/map"
    run --separate-stderr pm -q a "$T/map"
    assert_success
    assert_output 'old'
    assert_equal "$stderr" ''
    touch -d '-101 seconds' "$T/map"
    run --separate-stderr pm -q a "$T/map"
    assert_success
    assert_output 'old'
    assert_equal "$stderr" \
        "postmap: warning: database $T/map.db is older than source file $T/map"
}

@test "postmap -q does not warn when FILE.db is newer than the source" {
    printf 'a 1\n' > "$T/map"
    touch -d '2020-01-01 00:00' "$T/map"
    pm "$T/map"
    run --separate-stderr pm -q a "$T/map"
    assert_success
    assert_equal "$stderr" ''
}
