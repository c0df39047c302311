#!/bin/sh
# build.sh OUTPUT [INCLUDE_DIR]: compiles the native sendmail front (Maven runs it at
# process-classes; tests/run again with POSTERN_CFLAGS for a sanitizer build). Trusts its caller.
set -eu
src=$(dirname -- "$0")
out=$1
gen=${2:-$(dirname -- "$out")}
cc=${CC:-cc}
if ! command -v "$cc" > /dev/null 2>&1; then
    echo "postern: the native sendmail front needs a C compiler: \"$cc\" was not found" \
        "(apt-get install gcc, or set CC; bin/sendmail runs the JVM command without it)" >&2
    exit 1
fi
# Debian's hardening flags (lintian checks fortify, relro, bindnow and PIE). POSIX 2008 with
# XSI (_XOPEN_SOURCE=700) for realpath(3).
hardening="-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -pie -Wl,-z,relro,-z,now"
# shellcheck disable=SC2086 # the flags are words
exec "$cc" -std=c99 -D_XOPEN_SOURCE=700 -Wall -Wextra -Werror ${POSTERN_CFLAGS:-$hardening} \
    -I"$gen" -o "$out" "$src/sendmail-front.c" "$src/front-config.c" "$src/submit-frame.c"
