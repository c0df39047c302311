# A system-like instance for the suites that need real users and real uid switches (root
# only): a mail owner, default_privs nobody, the local delivery service, real users with
# homes under the instance, the daemon started. Used by tests/security.bats.
#
#   system_instance_start OWNER USER...   sets PS (a world-searchable scratch directory),
#                                          INST, PORT; starts the daemon and local service
#   system_instance_stop

as() { local u=$1; shift; runuser -u "$u" -- "$@"; }
logged() { grep -q -- "$1" "$INST/log/maillog"; }

system_instance_start() {
    local owner=$1 u args=()
    shift
    for u in "$owner" "$@"; do
        id -u "$u" >/dev/null 2>&1 || useradd -M -s /bin/sh "$u"
    done
    for u in "$@"; do args+=(--user "$u"); done
    # Every user must reach the instance: not under bats' private temp directory.
    PS=$(mktemp -d /tmp/postern-system.XXXXXX)
    chmod 755 "$PS"
    INST=$PS/inst
    export PS INST
    "$BIN/postern" init "$INST" "${args[@]}" >/dev/null
    sed -i '/^mail_owner = /d; /^default_privs = /d' "$INST/main.cf"
    cat >> "$INST/main.cf" <<CONF
mail_owner = $owner
default_privs = nobody
local_delivery_service = yes
relayhost = [127.0.0.1]:1
CONF
    echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >> "$INST/users"
    "$BIN/newaliases" -C "$INST"
    chown -R "$owner": "$INST/queue" "$INST/log"
    for u in "$@"; do chown "$u": "$INST/home/$u"; done
    "$BIN/postern" -C "$INST" start
}

system_instance_stop() {
    [ -n "${INST:-}" ] || return 0
    "$BIN/postern" -C "$INST" stop >/dev/null 2>&1 || true
    rm -rf "$PS"
}
