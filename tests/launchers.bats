#!/usr/bin/env bats
# The launchers' choice of Java (bin/lib/java.sh) in the installed layout
# (/usr/share/postern/{bin,lib}): with two Javas installed, the newest one that has a
# class-data archive for our jars, so that installing another Java never makes every command
# start without one (the package's trigger then builds the newer one's).

load helpers/common

setup_file() { common_setup_file; }

# The 17+ Javas under /usr/lib/jvm, "MAJOR DIR" a line, oldest first, one per major version.
javas() {
    local d v
    for d in /usr/lib/jvm/*; do
        [ -x "$d/bin/java" ] && [ ! -L "$d" ] || continue
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release" 2> /dev/null)
        [ -n "$v" ] && [ "$v" -ge 17 ] && echo "$v $d"
    done | sort -n -k1,1 -u
}

# An installed layout of this build in $BATS_TEST_TMPDIR/share.
install_layout() {
    SHARE=$BATS_TEST_TMPDIR/share
    mkdir -p "$SHARE/bin/lib" "$SHARE/lib"
    cp "$BIN/postern" "$SHARE/bin/"
    cp "$BIN"/lib/*.sh "$SHARE/bin/lib/"
    cp "$BIN"/../compat/target/lib/*.jar "$SHARE/lib/"
}

java_major_run() { env -u JAVA_HOME POSTERN_JAVA_OPTS=-version "$SHARE/bin/postern" 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1; }

@test "with a newer Java that has no archive, the launchers keep the Java that has one" {
    [ "$(javas | wc -l)" -ge 2 ] || skip "needs two Java versions (17+) in /usr/lib/jvm"
    local old new
    old=$(javas | head -n 1)
    new=$(javas | tail -n 1)
    install_layout
    run env JAVA_HOME="${old#* }" "$SHARE/bin/lib/build-cds.sh"
    assert_success
    assert_output --partial "build-cds: $SHARE/lib/cds/"
    run java_major_run
    assert_output "${old%% *}"
    # build-cds.sh (the package trigger's) builds for the newest Java, which is then used.
    run env -u JAVA_HOME "$SHARE/bin/lib/build-cds.sh"
    assert_success
    run java_major_run
    assert_output "${new%% *}"
}
