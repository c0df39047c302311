# lib-postfix.sh - sourced by the benchmarks: a private Postfix instance for side-by-side
# runs (its own main.cf/master.cf, queue and data directories under DIR, no chroot), so the
# system's Postfix is never touched. Needs root and the postfix package.

# postfix_instance DIR PORT MAXPROC [MAIN_CF_LINE...]: writes DIR/etc and starts Postfix
# with an smtpd on 127.0.0.1:PORT; returns 1 with the reason in PF_WHY when it cannot.
postfix_instance() {
    local dir=$1 port=$2 maxproc=$3
    shift 3
    PF_WHY=
    if [ "$(id -u)" != 0 ]; then PF_WHY="not root"; return 1; fi
    if ! command -v postfix > /dev/null; then PF_WHY="postfix is not installed"; return 1; fi
    mkdir -p "$dir/etc" "$dir/spool" "$dir/data"
    chown postfix "$dir/data"
    {
        printf '%s\n' 'compatibility_level = 3.6' "queue_directory = $dir/spool" \
            "data_directory = $dir/data" "maillog_file = $dir/maillog" \
            "maillog_file_prefixes = $dir" 'myhostname = bench.example' \
            'mydestination = localhost' 'inet_interfaces = 127.0.0.1' 'inet_protocols = ipv4' \
            'mynetworks = 127.0.0.0/8' 'alias_maps =' 'alias_database =' \
            'smtpd_relay_restrictions = permit_mynetworks, reject'
        printf '%s\n' "$@"
    } > "$dir/etc/main.cf"
    # service type private unpriv chroot wakeup maxproc command
    cat > "$dir/etc/master.cf" << MASTER
127.0.0.1:$port inet n - n - $maxproc smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
MASTER
    if ! postfix -c "$dir/etc" start > "$dir/start.log" 2>&1; then
        PF_WHY="postfix did not start: $(tail -1 "$dir/start.log")"
        return 1
    fi
}
