#!/usr/bin/env bats
# The benchmark scripts under tests/bench keep working when parts are switched off by an
# empty environment variable (they are run by hand; a crash after minutes of set-up costs).

load helpers/common

@test "bench-daemon.sh with LOOPS=\"\" and LEVELS=\"\" skips both parts and exits 0" {
    run --separate-stderr env LOOPS="" LEVELS="" N=4 RUNS=1 "$POSTERN_ROOT/tests/bench/bench-daemon.sh"
    assert_success
    refute_output --partial 'loop(s)'
    refute_output --partial 'deferred messages'
    refute_output --partial 'Error'
}
