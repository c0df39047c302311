#!/usr/bin/env bash
# bench-alias-delivery.sh - delivery rate through a MEMBERS-member alias (issue: "the
# delivery rate to a 1,000-member alias"): a postern init instance with MEMBERS users, an
# alias `all` listing them, N messages queued to it with `sendmail -odq all`, then one
# foreground `sendmail -q`. Prints the queue run's wall time, mailbox deliveries per second
# (N x MEMBERS appends), and checks that every member got every message exactly once.
#
# Environment: MEMBERS (1000), N (5), REPS (1).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
MEMBERS=${MEMBERS:-1000}
N=${N:-5}
REPS=${REPS:-1}
now() { date +%s.%N; }
for rep in $(seq "$REPS"); do
    w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench.XXXXXX")
    "$top/bin/postern" init "$w/i" > /dev/null
    me=$(id -un); uid=$(id -u); gid=$(id -g)
    for i in $(seq "$MEMBERS"); do
        printf 'm%d:x:%d:%d:member %d:%s/i/home/m%d:/bin/sh\n' "$i" "$uid" "$gid" "$i" "$w" "$i"
    done >> "$w/i/users"
    { printf 'all: '; seq -f 'm%g' "$MEMBERS" | paste -sd, -; } >> "$w/i/aliases"
    "$top/bin/newaliases" -C "$w/i" > /dev/null
    printf 'From: bench@example.org\nSubject: to all\n\nhello\n' > "$w/msg"
    for i in $(seq "$N"); do "$top/bin/sendmail" -C "$w/i" -odq -i all < "$w/msg"; done
    t0=$(now)
    "$top/bin/sendmail" -C "$w/i" -q
    t1=$(now)
    got=$(cat "$w"/i/mail/m* | grep -c '^From ')
    echo "run $rep: $N messages to a $MEMBERS-member alias: $got mailbox deliveries in" \
         "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')s" \
         "($(awk -v n="$got" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", n/(b-a)}') deliveries/s," \
         "JVM start included)"
    [ "$got" -eq $((N * MEMBERS)) ] || echo "run $rep: MISMATCH: $got of $((N * MEMBERS))" >&2
    rm -rf "$w"
done
