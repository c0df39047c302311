#!/bin/sh
# Builds the class-data archive for the jars beside this launcher and the Java the
# launchers choose (JAVA_HOME, else the newest), by recording the real path of every JVM
# command in a scratch instance (compat/.../training/ArchiveTraining: sendmail -odq, mailq,
# newaliases, praliases, postern config, postmap build/-q/-s, makemap). Run after every
# build or install; the launchers use only an archive whose name matches the jars' checksum
# and the Java version, so a stale one is never used. Archives of other Javas for the same
# jars are kept (JAVA_HOME=... build-cds.sh adds one).
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
if [ "${_bestv%%.*}" -ge 25 ]; then
    archive=$POSTERN_LIB/cds/$sum-$_bestv.aot; record=-XX:AOTCacheOutput=$archive
else
    archive=$POSTERN_LIB/cds/$sum-$_bestv.jsa; record=-XX:ArchiveClassesAtExit=$archive
fi
# Archives of other jars go; those of these jars for other Javas stay.
for _a in "$POSTERN_LIB"/cds/*.jsa "$POSTERN_LIB"/cds/*.aot; do
    case ${_a##*/} in "$sum"-*) ;; *) rm -f "$_a" ;; esac
done
rm -f "$archive" "$POSTERN_LIB/jars.sha256"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/postern-cds.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
POSTERN_NO_CDS=1 "$POSTERN_BIN/postern" init "$scratch/i"
# The dump reports every class it skips (JFR events, ...) as a warning: keep that quiet
# unless the archive is not made.
# The training workload runs through the launcher's own JVM flags (in a subshell: the
# launcher ends in exec).
if ! ( POSTERN_NO_CDS=1 POSTERN_JAVA_OPTS=$record \
       POSTERN_MAIN=org.postern.compat.training.ArchiveTraining
       set -- "$scratch/i" "$(id -un)"
       . "$POSTERN_BIN/lib/launch.sh" ) > "$scratch/dump.log" 2>&1 || [ ! -s "$archive" ]; then
    cat "$scratch/dump.log" >&2
    echo "build-cds: no archive made; the commands run without one" >&2
    exit 0
fi
echo "$sum" > "$POSTERN_LIB/jars.sha256"
echo "build-cds: $archive ($(du -k "$archive" | cut -f1) KB)"
