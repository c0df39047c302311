#!/bin/sh
# Builds the class-data archives for the jars beside this launcher and the Java the
# launchers choose (JAVA_HOME, else the newest), by recording the real path of every JVM
# command in a scratch instance (compat/.../training/ArchiveTraining). Java 17 gets one
# static archive of every command's classes (a dynamic one left each command's first lambda
# 5-6 ms of metafactory start-up), Java 18-24 a dynamic one; Java 25 and later one AOT cache
# per launcher group (sendmail, newaliases, praliases, postern, postmap), since an AOT cache
# loads all its classes at start-up. Run after every build or install; the launchers use only archives
# whose name matches the jars' checksum and the Java version, so a stale one is never used.
# Archives of other Javas for the same jars are kept (JAVA_HOME=... build-cds.sh adds them).
set -eu
POSTERN_BIN=$(cd "$(dirname -- "$(readlink -f -- "$0")")/.." && pwd)
for _d in "$POSTERN_BIN/../lib" "$POSTERN_BIN/../compat/target/lib"; do
    if [ -f "$_d/postern-compat.jar" ]; then POSTERN_LIB=$(cd "$_d" && pwd); break; fi
done
[ -n "${POSTERN_LIB:-}" ] || { echo "build-cds: no jars found; build first" >&2; exit 69; }
# The archive is for the newest Java, whatever archives exist (java.sh would prefer those).
POSTERN_NO_CDS=1
. "$POSTERN_BIN/lib/java.sh"
[ -n "$_bestv" ] || { echo "build-cds: cannot tell the Java version; no archive built" >&2; exit 0; }

sum=$(cd "$POSTERN_LIB" && cat $(ls *.jar | LC_ALL=C sort) | sha256sum | cut -c1-32)
mkdir -p "$POSTERN_LIB/cds"
# Archives of other jars go; those of these jars for other Javas stay.
for _a in "$POSTERN_LIB"/cds/*.jsa "$POSTERN_LIB"/cds/*.aot; do
    case ${_a##*/} in "$sum"-*) ;; *) rm -f "$_a" ;; esac
done
rm -f "$POSTERN_LIB"/cds/"$sum-$_bestv".* "$POSTERN_LIB"/cds/"$sum-$_bestv"-*.aot \
    "$POSTERN_LIB/jars.sha256"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/postern-cds.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
POSTERN_NO_CDS=1 "$POSTERN_BIN/postern" init "$scratch/i"

# jvm OPTIONS [GROUP]: runs the training workload (of GROUP, else all) through the launcher's
# own JVM flags and OPTIONS, in a subshell (the launcher ends in exec); the JVM's output goes
# to dump.log, shown only when no archive is made (the dump warns of every class it skips).
jvm() {
    ( POSTERN_NO_CDS=1 POSTERN_JAVA_OPTS=$1
      POSTERN_MAIN=org.postern.compat.training.ArchiveTraining
      set -- "$scratch/i" "$(id -un)" ${2:-}
      . "$POSTERN_BIN/lib/launch.sh" ) >> "$scratch/dump.log" 2>&1
}

# fail: says why there is no archive; the commands then run without one.
fail() {
    cat "$scratch/dump.log" >&2
    rm -f "$POSTERN_LIB"/cds/"$sum-$_bestv".* "$POSTERN_LIB"/cds/"$sum-$_bestv"-*.aot
    echo "build-cds: no archive made; the commands run without one" >&2
    exit 0
}

made=
if [ "${_bestv%%.*}" -ge 25 ]; then
    for group in sendmail newaliases praliases postern postmap; do
        archive=$POSTERN_LIB/cds/$sum-$_bestv-$group.aot
        { jvm "-XX:AOTCacheOutput=$archive" "$group" && [ -s "$archive" ]; } || fail
        made="$made $archive"
    done
elif [ "${_bestv%%.*}" -eq 17 ]; then
    archive=$POSTERN_LIB/cds/$sum-$_bestv.jsa
    { jvm "-XX:DumpLoadedClassList=$scratch/classes" &&
      jvm "-Xshare:dump -XX:SharedClassListFile=$scratch/classes -XX:SharedArchiveFile=$archive" &&
      [ -s "$archive" ]; } || fail
    made=" $archive"
else
    # Java 18-24 run the serial collector, which cannot dump the heap objects a static
    # archive would need to replace the JDK's: a dynamic archive on top of the JDK's.
    archive=$POSTERN_LIB/cds/$sum-$_bestv.jsa
    { jvm "-XX:ArchiveClassesAtExit=$archive" && [ -s "$archive" ]; } || fail
    made=" $archive"
fi
echo "$sum" > "$POSTERN_LIB/jars.sha256"
echo "build-cds:$made ($(cat $made | wc -c | awk '{printf "%d", $1 / 1024}') KB)"
