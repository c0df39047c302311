# Shared tail of every Postern launcher (sourced, never run): finds the jars and the
# newest Java 17+, picks the class-data archive made for exactly these jars and this
# Java, and execs the command's main class. Expects POSTERN_MAIN and POSTERN_BIN.
#
# Jars: $POSTERN_BIN/../lib (installed layout, e.g. /usr/share/postern/{bin,lib}) or
# $POSTERN_BIN/../compat/target/lib (a built clone).

for _d in "$POSTERN_BIN/../lib" "$POSTERN_BIN/../compat/target/lib"; do
    if [ -f "$_d/postern-compat.jar" ]; then POSTERN_LIB=$_d; break; fi
done
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

# The archive's name carries the jars' checksum (written by the build next to them) and
# the exact Java version, so an archive made from other jars or another JVM is never used.
_cds=
if [ -n "$_bestv" ] && [ -r "$POSTERN_LIB/jars.sha256" ] && [ -z "${POSTERN_NO_CDS:-}" ]; then
    read -r _sum _rest < "$POSTERN_LIB/jars.sha256"
    _a=$POSTERN_LIB/cds/$_sum-$_bestv.jsa
    [ -r "$_a" ] && _cds="-XX:SharedArchiveFile=$_a"
fi

# JVM diagnostics go to stderr only, so they can never corrupt output scripts parse.
exec "$POSTERN_JAVA" $_cds -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto \
    -Xlog:disable -Xlog:all=warning:stderr \
    ${POSTERN_JAVA_OPTS:-} \
    -Dpostern.argv0="${POSTERN_ARGV0:-${0##*/}}" -Dpostern.bin="$POSTERN_BIN" \
    -cp "$POSTERN_CP" "$POSTERN_MAIN" "$@"
