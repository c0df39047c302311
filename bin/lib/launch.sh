# Shared tail of every Postern launcher (sourced, never run): finds the jars and the
# newest Java 17+, picks the class-data archive made for exactly these jars and this
# Java, and execs the command's main class. Expects POSTERN_MAIN and POSTERN_BIN.
#
# Jars: $POSTERN_BIN/../lib (installed layout, e.g. /usr/share/postern/{bin,lib}) or
# $POSTERN_BIN/../compat/target/lib (a built clone).

# POSTERN_BIN is the launcher's directory as called, resolved only when the launcher itself
# is a symlink (a fork each time costs a millisecond); when a directory on the way is one
# (/usr/lib/postern/lib -> /usr/share/postern/bin/lib, the front's way in), its real path.
_find_lib() {
    for _d in "$POSTERN_BIN/../lib" "$POSTERN_BIN/../compat/target/lib"; do
        if [ -f "$_d/postern-compat.jar" ]; then POSTERN_LIB=$_d; return 0; fi
    done
    return 1
}
if ! _find_lib && _real=$(readlink -f -- "$0"); then
    # bin/NAME, or bin/lib/NAME (the JVM launchers the front runs)
    _real=${_real%/*}
    [ -f "$_real/launch.sh" ] && _real=${_real%/lib}
    POSTERN_BIN=$_real
    _find_lib || true
fi
if [ -z "${POSTERN_LIB:-}" ]; then
    echo "${0##*/}: cannot find the Postern jars (build with: mvn -q package)" >&2
    exit 69
fi

. "$POSTERN_BIN/lib/java.sh"

# Our jars first (they hold the start-up path), then the libraries in name order.
POSTERN_CP=$POSTERN_LIB/postern-compat.jar:$POSTERN_LIB/postern-engine.jar:$POSTERN_LIB/postern-maps.jar
for _j in "$POSTERN_LIB"/*.jar; do
    case ${_j##*/} in postern-*) ;; *) POSTERN_CP=$POSTERN_CP:$_j ;; esac
done

# The archive's name carries the jars' checksum (written by bin/lib/build-cds.sh next to
# them) and the exact Java version, so an archive made from other jars or another JVM is
# never used (Temurin 25.0.3 would otherwise run stale classes from an AOT cache,
# JDK-8377932). Java 25+ gets the AOT cache of the launcher's group (POSTERN_ARCHIVE, set
# by each launcher: an AOT cache loads all its classes at start-up, so each holds only its
# commands'), older ones the one static archive.
_cds=
if [ -n "$_bestv" ] && [ -r "$POSTERN_LIB/jars.sha256" ] && [ -z "${POSTERN_NO_CDS:-}" ]; then
    read -r _sum _rest < "$POSTERN_LIB/jars.sha256"
    if [ "${_bestv%%.*}" -ge 25 ]; then
        _a=$POSTERN_LIB/cds/$_sum-$_bestv-${POSTERN_ARCHIVE:-}.aot; _flag=-XX:AOTCache=$_a
    else
        _a=$POSTERN_LIB/cds/$_sum-$_bestv.jsa; _flag=-XX:SharedArchiveFile=$_a
    fi
    [ -r "$_a" ] && _cds=$_flag
    # A jar rebuilt after the checksum was taken: the archive is not for these jars.
    for _j in "$POSTERN_LIB"/*.jar; do
        [ "$_j" -nt "$POSTERN_LIB/jars.sha256" ] && _cds= && break
    done
fi

# Java 24+ warns on stderr about JNA's restricted native calls (and would about a library's
# sun.misc.Unsafe memory access): allow them.
_modern=
if [ -n "$_bestv" ] && [ "${_bestv%%.*}" -ge 24 ]; then
    _modern="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi

# The serial collector, except on Java 17, whose archived module graph (CDS heap objects)
# only G1 can use: without it, initializing the module system took 15-30 ms instead of 3
# (tests/bench/bench-startup.sh). The archive records the collector it was made with, and
# build-cds.sh makes it through this launcher.
_gc=-XX:+UseSerialGC
if [ -n "$_bestv" ] && [ "${_bestv%%.*}" -eq 17 ]; then _gc=-XX:+UseG1GC; fi

# Start-up flags: C1 only, no perf-data file, the collector above, class-data archives
# mapped at their preferred address (upstream JDK 17's default; relocating them cost
# 30-40 ms per start on the machines we measured), and core reflection through native
# accessors (since Java 18 it spins method handles, 1-2 ms at start-up for EnumSet's first
# reflective values() call; Java 17 ignores the property).
exec "$POSTERN_JAVA" $_cds ${POSTERN_JIT:--XX:TieredStopAtLevel=1} -XX:-UsePerfData $_gc \
    -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 $_modern \
    -Djdk.reflect.useNativeAccessorOnly=true \
    -Xlog:disable -Xlog:all=warning:stderr \
    ${POSTERN_HEAP:-} ${POSTERN_JAVA_OPTS:-} \
    -Dpostern.argv0="${POSTERN_ARGV0:-${0##*/}}" -Dpostern.bin="$POSTERN_BIN" \
    -cp "$POSTERN_CP" "$POSTERN_MAIN" "$@"
