# Chooses the JVM for Postern (sourced): JAVA_HOME if it is 17 or newer, else the newest
# 17+ under /usr/lib/jvm that has a class-data archive for our jars (when POSTERN_LIB has
# one and POSTERN_NO_CDS is unset), else the newest 17+, else java on PATH. Sets
# POSTERN_JAVA, and _bestv to its exact version when known (read from its release file: no
# JVM is started to find out). A newer Java without an archive would start each command
# about twice as slowly until build-cds.sh (the package's trigger on /usr/lib/jvm) makes one.

# _java_major DIR: sets _m (major) and _v (exact version) from DIR/release without starting a
# JVM, nor a subshell (each costs a fork; the launchers run this on every command).
_java_major() {
    [ -r "$1/release" ] || return 1
    while IFS= read -r _line; do
        case $_line in
        JAVA_VERSION=*)
            _v=${_line#JAVA_VERSION=\"}; _v=${_v%\"}
            _m=${_v%%.*}
            [ "$_m" = 1 ] && return 1
            return 0 ;;
        esac
    done < "$1/release"
    return 1
}

# JAVA_HOME first (if it is 17 or newer), else the newest 17+ under /usr/lib/jvm, else PATH.
_best=; _bestm=0; _bestv=
if [ -n "${JAVA_HOME:-}" ] && _java_major "$JAVA_HOME" && [ "$_m" -ge 17 ]; then
    _best=$JAVA_HOME; _bestv=$_v
else
    _sum=; _bestarch=
    if [ -z "${POSTERN_NO_CDS:-}" ] && [ -r "${POSTERN_LIB:-/nonexistent}/jars.sha256" ]; then
        read -r _sum _rest < "$POSTERN_LIB/jars.sha256"
    fi
    for _j in /usr/lib/jvm/*; do
        [ -x "$_j/bin/java" ] || continue
        _java_major "$_j" || continue
        [ "$_m" -ge 17 ] || continue
        _arch=
        if [ -n "$_sum" ] && { [ -r "$POSTERN_LIB/cds/$_sum-$_v.jsa" ] ||
            [ -r "$POSTERN_LIB/cds/$_sum-$_v-${POSTERN_ARCHIVE:-}.aot" ]; }; then
            _arch=1
        fi
        # An archive first, then the newer.
        if [ -z "$_best" ] || { [ -n "$_arch" ] && [ -z "$_bestarch" ]; } ||
            { [ "$_arch" = "$_bestarch" ] && [ "$_m" -gt "$_bestm" ]; }; then
            _best=$_j; _bestm=$_m; _bestv=$_v; _bestarch=$_arch
        fi
    done
fi
if [ -n "$_best" ]; then POSTERN_JAVA=$_best/bin/java; else POSTERN_JAVA=java; fi

