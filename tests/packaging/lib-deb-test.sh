# lib-deb-test.sh - sourced by tests/packaging/deb-install.sh: TAP results shared by the
# script's processes, per-phase timing, bounded steps, and the chroot's mounts and commands.
# Expects STATE (a directory for the results) and, for the chroot helpers, ROOT; the cache
# helpers SUITE, CACHE and MIRROR.

# --- TAP ------------------------------------------------------------------------------
# Results go to $STATE/results, one line each, so the host-side and the isolated processes
# number them in one sequence and the host prints the summary.

_tap_next() { echo $(($(wc -l < "$STATE/results") + 1)); }

# report STATUS DESCRIPTION [DIAGNOSTIC]: one TAP line; the diagnostic when it failed.
report() {
    local status=$1 desc=$2 diag=${3:-} n
    n=$(_tap_next)
    if [ "$status" -eq 0 ]; then
        echo "ok $n - $desc"
        echo ok >> "$STATE/results"
    else
        echo "not ok $n - $desc"
        echo "not ok" >> "$STATE/results"
        if [ -n "$diag" ]; then
            printf '%s\n' "$diag" | head -n 60 | sed 's/^/#   /'
        fi
    fi
    return "$status"
}

# check DESCRIPTION CMD...: ok when CMD exits 0; its output (and status) is the diagnostic.
check() {
    local desc=$1 out rc
    shift
    out=$("$@" 2>&1)
    rc=$?
    report "$rc" "$desc" "$out${out:+$'\n'}(exit status $rc: $*)"
}

# check_eq DESCRIPTION EXPECTED CMD...: ok when CMD exits 0 and prints exactly EXPECTED.
check_eq() {
    local desc=$1 want=$2 out rc
    shift 2
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && [ "$out" = "$want" ]; then
        report 0 "$desc"
    else
        report 1 "$desc" "expected: $want"$'\n'"got:      $out"$'\n'"(exit status $rc: $*)"
    fi
}

# check_match DESCRIPTION ERE CMD...: ok when CMD exits 0 and a line of its output matches.
check_match() {
    local desc=$1 re=$2 out rc
    shift 2
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && grep -Eq -- "$re" <<< "$out"; then
        report 0 "$desc"
    else
        report 1 "$desc" "no line matches: $re"$'\n'"$out"$'\n'"(exit status $rc: $*)"
    fi
}

# note TEXT: a TAP comment.
note() { printf '%s\n' "$@" | sed 's/^/# /'; }

# --- phases ---------------------------------------------------------------------------

# run_phase NAME FUNCTION [ARG...]: runs FUNCTION with its wall time; a non-zero status
# means the later phases cannot run (the caller stops).
run_phase() {
    local name=$1 fn=$2 t0 rc
    shift 2
    t0=$(date +%s.%N)
    note "== $name"
    "$fn" "$@"
    rc=$?
    note "$name: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f s", b-a}')"
    if [ "$rc" -ne 0 ]; then
        note "$name failed: the phases that need it are skipped"
    fi
    return "$rc"
}

# bounded SECONDS LOG CMD...: runs CMD with its output in LOG, killed after SECONDS (a
# function of this file, in_chroot, gets them as T); on failure prints the end of LOG (for
# a diagnostic) and returns CMD's status (124: timeout).
bounded() {
    local secs=$1 log=$2 rc
    shift 2
    if [ "$(type -t "$1")" = function ]; then
        T=$secs "$@" > "$log" 2>&1 < /dev/null
    else
        timeout --kill-after=10 "$secs" "$@" > "$log" 2>&1 < /dev/null
    fi
    rc=$?
    if [ "$rc" -ne 0 ]; then
        [ "$rc" -eq 124 ] && echo "timed out after ${secs}s: $*"
        tail -n 40 "$log"
        return "$rc"
    fi
}

# --- the chroot -----------------------------------------------------------------------

CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# in_chroot CMD...: CMD in $ROOT with a clean environment, no stdin, at most $T seconds
# (default 120).
in_chroot() {
    timeout --kill-after=10 "${T:-120}" chroot "$ROOT" /usr/bin/env -i PATH="$CHROOT_PATH" \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@" < /dev/null
}

# in_chroot_stdin CMD...: as in_chroot, with the caller's stdin.
in_chroot_stdin() {
    timeout --kill-after=10 "${T:-120}" chroot "$ROOT" /usr/bin/env -i PATH="$CHROOT_PATH" \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# as_user USER SHELL-COMMAND: a login shell of USER in the chroot (PATH, HOME and USER as
# login(1) sets them), stdin from the caller.
as_user() {
    timeout --kill-after=10 "${T:-120}" chroot "$ROOT" /usr/bin/env -i LANG=C.UTF-8 \
        /usr/sbin/runuser -l "$1" -c "$2"
}

# mount_chroot: proc, sys, /dev and /dev/pts in $ROOT. Call in a private mount namespace
# (the mounts die with it); umount_chroot undoes it anyway.
mount_chroot() {
    mount -t proc proc "$ROOT/proc" &&
        mount -t sysfs sysfs "$ROOT/sys" &&
        mount --bind /dev "$ROOT/dev" &&
        mount --bind /dev/pts "$ROOT/dev/pts"
}

# umount_chroot: unmounts everything under $ROOT, deepest first, lazily if busy.
umount_chroot() {
    local m
    [ -n "${ROOT:-}" ] || return 0
    awk -v r="$ROOT/" '{ if (index($5 "/", r) == 1) print $5 }' /proc/self/mountinfo |
        sort -r |
        while read -r m; do
            umount "$m" 2> /dev/null || umount -l "$m"
        done
}

# mounted_under DIR: true when anything is mounted at or below DIR in this namespace.
mounted_under() {
    awk -v r="${1%/}/" '{ if (index($5 "/", r) == 1) found = 1 } END { exit !found }' \
        /proc/self/mountinfo
}

# outer_cleanup: the EXIT trap of a test script: removes its STATE directory, unless
# POSTERN_TEST_KEEP is set or something is still mounted under it.
outer_cleanup() {
    [ -n "${STATE:-}" ] && [ -d "$STATE" ] || return 0
    if [ -n "${POSTERN_TEST_KEEP:-}" ]; then
        note "kept: $STATE"
    elif mounted_under "$STATE"; then
        note "not removing $STATE: something is still mounted under it"
    else
        rm -rf --one-file-system "$STATE"
    fi
}

# end_other_processes: TERM, then KILL, to every process of this pid namespace but this
# shell and init (all of them started by the test).
end_other_processes() {
    local pid left sig
    for sig in TERM KILL; do
        left=
        for pid in $(ls /proc | grep -E '^[0-9]+$'); do
            [ "$pid" -ne 1 ] && [ "$pid" -ne "$$" ] && [ "$pid" -ne "$BASHPID" ] || continue
            [ -r "/proc/$pid/stat" ] || continue
            kill "-$sig" "$pid" 2> /dev/null && left+=" $pid"
        done
        [ -n "$left" ] || break
        [ "$sig" = KILL ] || { note "still running at the end:$left"; sleep 2; }
    done
}

# wait_for SECONDS CMD...: polls CMD every half second until it succeeds or time is up.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" > /dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

# --- the host's mirrors and the cached chroots ------------------------------------------

# The mirrors the host's apt uses (deb822 .sources files or one-line lists).
read_mirrors() {
    local uris
    uris=$({
        sed -n 's/^[[:space:]]*URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2> /dev/null |
            tr ' ' '\n'
        cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2> /dev/null |
            awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }'
    } | sed 's:/*$::' | grep .)
    MIRROR=$(grep -v -- '-security' <<< "$uris" | grep -E '/debian$' | head -n 1)
    SECURITY=$(grep -- '/debian-security$' <<< "$uris" | head -n 1)
    MIRROR=${MIRROR:-http://deb.debian.org/debian}
}

# tar_to CACHEFILE: packs $ROOT (nothing may be mounted in it) into CACHEFILE atomically.
tar_to() {
    local file=$1
    mounted_under "$ROOT" && { echo "tar_to: something is mounted under $ROOT"; return 1; }
    mkdir -p "$CACHE"
    tar -C "$ROOT" --numeric-owner -cpf - . | zstd -q -T0 -3 -o "$file.tmp.$$" &&
        mv -f "$file.tmp.$$" "$file" || { rm -f "$file.tmp.$$"; return 1; }
}

untar_from() {
    mkdir -p "$ROOT" && zstd -q -dc "$1" | tar -C "$ROOT" --numeric-owner -xpf -
}

# The minbase chroot: unpacked from the cache (when younger than 30 days), else made by
# debootstrap (in a private mount namespace: its mounts cannot outlive it) and cached.
minbase_chroot() {
    local tarball=$CACHE/$SUITE-minbase.tar.zst
    if [ -n "$(find "$tarball" -mtime -30 2> /dev/null)" ]; then
        check "minbase chroot unpacked from $tarball" untar_from "$tarball"
        return
    fi
    check "debootstrap --variant=minbase $SUITE (from $MIRROR)" \
        bounded 900 "$STATE/debootstrap.log" \
        unshare --mount --propagation private --fork --kill-child \
        debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" || return 1
    check "minbase chroot cached as $tarball" tar_to "$tarball"
}

# policy_rc_d BODY: /usr/sbin/policy-rc.d in the chroot, a shell script with BODY (printf).
policy_rc_d() {
    printf "#!/bin/sh\\n$1\\n" > "$ROOT/usr/sbin/policy-rc.d"
    chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
}

# The TCP addresses listened on in the test's network namespace, sorted, on one line (Java's
# IPv4 sockets are IPv6 ones bound to a mapped address: [::ffff:127.0.0.1]:25 is 127.0.0.1:25).
tcp_listeners() {
    T=30 in_chroot ss -Hltn | awk '{ print $4 }' | sed 's/^\[::ffff:\([0-9.]*\)\]/\1/' |
        LC_ALL=C sort | xargs
}
