# Chooses the JVM for Postern (sourced): JAVA_HOME if it is 17 or newer, else the newest
# 17+ under /usr/lib/jvm, else java on PATH. Sets POSTERN_JAVA, and _bestv to its exact
# version when known (read from its release file: no JVM is started to find out).

# _java_major DIR: prints the major version from DIR/release without starting a JVM.
_java_major() {
    [ -r "$1/release" ] || return 1
    while IFS= read -r _line; do
        case $_line in
        JAVA_VERSION=*)
            _v=${_line#JAVA_VERSION=\"}; _v=${_v%\"}
            _m=${_v%%.*}
            [ "$_m" = 1 ] && return 1
            echo "$_m $_v"; return 0 ;;
        esac
    done < "$1/release"
    return 1
}

# JAVA_HOME first (if it is 17 or newer), else the newest 17+ under /usr/lib/jvm, else PATH.
_best=; _bestm=0; _bestv=
if [ -n "${JAVA_HOME:-}" ] && _r=$(_java_major "$JAVA_HOME") && [ "${_r%% *}" -ge 17 ]; then
    _best=$JAVA_HOME; _bestv=${_r#* }
else
    for _j in /usr/lib/jvm/*; do
        [ -x "$_j/bin/java" ] || continue
        _r=$(_java_major "$_j") || continue
        if [ "${_r%% *}" -gt "$_bestm" ]; then _best=$_j; _bestm=${_r%% *}; _bestv=${_r#* }; fi
    done
    [ "$_bestm" -ge 17 ] || _best=
fi
if [ -n "$_best" ]; then POSTERN_JAVA=$_best/bin/java; else POSTERN_JAVA=java; fi

