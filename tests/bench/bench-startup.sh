#!/usr/bin/env bash
# bench-startup.sh - issue 16's start-up benchmark of the JVM commands that stay: postmap -q
# on a 1,000,000-entry hash: table, newaliases with 10,000 aliases and postern config
# myhostname, each against the JVM's own floor measured in the same run (java -Xshare:auto
# -XX:TieredStopAtLevel=1 Hello), on Java 17 and on the newest Java under /usr/lib/jvm
# (JAVA_HOME selects the launchers' Java, see bin/lib/java.sh); Postfix's postmap -q,
# postalias and postconf -h side by side when Postfix is installed (NO_POSTFIX=1 skips).
#
# Builds the jars (SKIP_BUILD=1 uses those built) and a class-data archive for each Java
# (bin/lib/build-cds.sh), makes a scratch instance (bin/postern init), then runs hyperfine
# -N --warmup 3 -r RUNS (20) per command and prints the median wall time, the mean CPU time
# (user + system: what a busy machine disturbs least) and their ratios to the floor of the
# same Java. Needs hyperfine and python3; takes two to three minutes.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-20}
N=${N:-1000000}
ALIASES=${ALIASES:-10000}
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench-startup.XXXXXX")
trap 'rm -rf "$w"' EXIT

# java_version DIR: the JAVA_VERSION of DIR's release file.
java_version() { sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$1/release"; }

j17=
newest=
for j in /usr/lib/jvm/*; do
    [ -x "$j/bin/java" ] && [ -r "$j/release" ] && [ ! -L "$j" ] || continue
    v=$(java_version "$j")
    case $v in 17|17.*) [ -n "$j17" ] || j17=$j ;; esac
    if [ -z "$newest" ] || [ "${v%%.*}" -gt "$(java_version "$newest" | cut -d. -f1)" ]; then
        newest=$j
    fi
done
[ -n "$j17" ] || { echo "bench-startup: no Java 17 under /usr/lib/jvm" >&2; exit 69; }
javas=$j17
[ "$newest" = "$j17" ] || javas="$j17 $newest"

if [ -z "${SKIP_BUILD:-}" ]; then
    (cd "$top" && mvn -q -B -o package -DskipTests) >&2
fi
for j in $javas; do
    JAVA_HOME=$j "$top/bin/lib/build-cds.sh" >&2
done

# The scratch instance, the 1M-entry table (bench-maps.sh's keys) and the alias file.
"$top/bin/postern" init "$w/inst" > /dev/null
awk -v n="$N" 'BEGIN{for(i=0;i<n;i++) printf "user%d@dom%d.example value%d\n", i, i%97, i}' \
    > "$w/table"
awk -v n="$ALIASES" 'BEGIN{for(i=0;i<n;i++) printf "user%d: u%d@example.com, u%db\n", i, i, i}' \
    > "$w/aliases"
"$top/bin/postmap" "hash:$w/table"
key="user4242@dom$((4242 % 97)).example"
cat > "$w/Hello.java" << 'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("Hello");
    }
}
JAVA
"$j17/bin/javac" --release 17 -d "$w" "$w/Hello.java"

echo "cpus: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg); table: $N entries," \
    "$(stat -c %s "$w/table.db") bytes; aliases: $ALIASES; hyperfine -N --warmup 3 -r $RUNS"

# median LABEL COMMAND...: runs hyperfine in this environment, appends "LABEL<TAB>median ms".
median() {
    local label=$1
    shift
    hyperfine -N --warmup 3 -r "$RUNS" --style none --export-json "$w/h.json" "$@" \
        > /dev/null 2> "$w/h.err" || { cat "$w/h.err" >&2; return 1; }
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]
print("%s\t%.1f\t%.1f" % (sys.argv[2], r["median"] * 1000, (r["user"] + r["system"]) * 1000))' \
        "$w/h.json" "$label" >> "$w/results"
}

: > "$w/results"
for j in $javas; do
    v=$(java_version "$j")
    export JAVA_HOME=$j
    median "java $v: floor (Hello)" "$j/bin/java -Xshare:auto -XX:TieredStopAtLevel=1 -cp $w Hello"
    median "java $v: postmap -q" "$top/bin/postmap -q $key hash:$w/table"
    median "java $v: newaliases" "$top/bin/newaliases -C $w/inst -oA$w/aliases"
    median "java $v: postern config myhostname" "$top/bin/postern -C $w/inst config myhostname"
    unset JAVA_HOME
done
if [ -x /usr/sbin/postmap ] && [ -x /usr/sbin/postalias ] && [ -z "${NO_POSTFIX:-}" ]; then
    mkdir "$w/pf"
    cp "$w/table" "$w/pf/table"
    cp "$w/aliases" "$w/pf/aliases"
    /usr/sbin/postmap "hash:$w/pf/table"
    median "postfix: postmap -q" "/usr/sbin/postmap -q $key hash:$w/pf/table"
    median "postfix: postalias" "/usr/sbin/postalias hash:$w/pf/aliases"
    median "postfix: postconf -h myhostname" "/usr/sbin/postconf -h myhostname"
fi

# The table: each Postern row with its ratio to the floor of its own Java.
python3 - "$w/results" << 'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
floor = {}
print("%-40s %10s %8s %12s %8s" % ("command", "median ms", "x floor", "cpu ms (mean)",
                                     "x floor"))
for label, ms, cpu in rows:
    ms, cpu = float(ms), float(cpu)
    java = label.split(":")[0]
    if label.endswith("floor (Hello)"):
        floor[java] = (ms, cpu)
    f = floor.get(java)
    print("%-40s %10.1f %8s %12.1f %8s" % (label, ms, "%.2f" % (ms / f[0]) if f else "-", cpu,
                                         "%.2f" % (cpu / f[1]) if f else "-"))
PY
