#!/usr/bin/env bash
# tests/packaging/deb-migrate.sh: takes over real Postfix, sendmail and Exim installs. In a
# Debian chroot the real MTA package is installed and configured as its debconf (or, for
# sendmail, its sendmail.mc) does it, then apt swaps it for the Postern .deb, whose postinst
# migrates the old configuration; real clients then check that mail is received, delivered
# and relayed as before. Runs as root.
#
#   tests/packaging/deb-migrate.sh [SUITE:SCENARIO...]
#
# Scenarios: postfix-satellite, postfix-internet, sendmail, exim-smarthost, exim-local, each
# on bookworm (Debian 12) and trixie (Debian 13); postfix-satellite then reinstalls the
# package, which must not migrate again. The smarthost is tests/helpers/auth_smtpd.py on loopback (STARTTLS, then AUTH with one login).
#
# Host side, with the network: per suite a minbase chroot with Java and every MTA's packages
# downloaded (not installed), cached in /var/cache/postern-test/ for the day. Each scenario
# then runs in a fresh copy, in its own network (loopback only), mount, pid and UTS
# namespaces. Prints TAP-like lines, the time of each phase and "deb migrate: P passed, F
# failed"; exits 1 when anything failed. POSTERN_TEST_KEEP=1 keeps the work directory;
# POSTERN_TEST_CACHE overrides the cache directory; POSTERN_SKIP_MVN=1 packages the jars as
# built.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SELF=$HERE/$(basename "$0")
. "$HERE/lib-deb-test.sh"

CACHE=${POSTERN_TEST_CACHE:-/var/cache/postern-test}
HOST_SHORT=debian
HOST_FQDN=debian.postern.test
# By address: the test's network namespace has no DNS (Postfix's smtp looks names up there).
SMARTHOST=127.0.0.1
SMARTHOST_PORT=10587
LOGIN=relayuser
SECRET=Sm4rt-s3cret-pw
REMOTE=someone@remote.example
ALL_SCENARIOS="bookworm:postfix-satellite bookworm:postfix-internet bookworm:sendmail
bookworm:exim-smarthost bookworm:exim-local trixie:postfix-satellite trixie:postfix-internet
trixie:sendmail trixie:exim-smarthost trixie:exim-local"
export DEBIAN_FRONTEND=noninteractive

# =======================================================================================
# Host side
# =======================================================================================

phase_build() {
    local out rc
    out=$(cd "$TOP" && timeout --kill-after=10 900 packaging/deb/build "$STATE/out" \
        2> "$STATE/build.log" < /dev/null)
    rc=$?
    DEB=$(tail -n 1 <<< "$out")
    report "$rc" "packaging/deb/build makes the package" "$(tail -n 20 "$STATE/build.log")" &&
        check "the package exists" test -s "$DEB" || return 1
    # The smarthost's certificate (self-signed: the clients encrypt, they do not verify).
    check "openssl: the smarthost's test certificate" \
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$SMARTHOST" \
        -keyout "$STATE/key.pem" -out "$STATE/cert.pem"
}

# The chroot of the day for SUITE: minbase, Java installed, every MTA, mail reader and
# Postern's dependencies downloaded (installed offline by the scenarios).
prepared_chroot() {
    local tarball=$CACHE/$SUITE-migrate-$(date +%Y%m%d).tar.zst
    mkdir -p "$CACHE" && exec 9> "$CACHE/lock-migrate-$SUITE"
    flock -w 1200 9 || { report 1 "cache lock $CACHE/lock-migrate-$SUITE" "still held after 20 min"; return 1; }
    if [ ! -s "$tarball" ]; then
        rm -rf --one-file-system "$ROOT"
        minbase_chroot || return 1
        cp "$DEB" "$ROOT/tmp/" && chmod 0644 "$ROOT/tmp/${DEB##*/}"
        timeout --kill-after=10 1500 unshare --mount --uts --propagation private --fork \
            --kill-child "$SELF" --prepare "$STATE" "$SUITE" "${DEB##*/}" "$MIRROR" \
            "${SECURITY:-}" || { flock -u 9; return 1; }
        rm -f "$ROOT/tmp/${DEB##*/}"
        check "$SUITE: prepared chroot cached as $tarball" tar_to "$tarball" &&
            find "$CACHE" -maxdepth 1 -name "$SUITE-migrate-*.tar.zst" ! -name "${tarball##*/}" -delete
    fi
    flock -u 9
    PREPARED=$tarball
}

# run_scenario SUITE:SCENARIO: a fresh copy of the suite's chroot, the scenario isolated.
run_scenario() {
    local rc
    SUITE=${1%%:*}
    ROOT=$STATE/root
    run_phase "$SUITE: chroot" prepared_chroot || return 1
    rm -rf --one-file-system "$ROOT"
    check "$1: chroot unpacked" untar_from "$PREPARED" || return 1
    timeout --kill-after=10 900 unshare --net --mount --pid --uts --fork --kill-child \
        --mount-proc --propagation private "$SELF" --isolated "$STATE" "$1" "$DEB"
    rc=$?
    # 1: a phase failed (its checks said so); anything else: the script itself.
    [ "$rc" -le 1 ] || report 1 "$1: the isolated part ended with status $rc"
}

# =======================================================================================
# --prepare SUITE DEB MIRROR SECURITY: in the chroot, with the network
# =======================================================================================

prepare_main() {
    local debname=$2 mta
    SUITE=$1
    MIRROR=$3
    SECURITY=$4
    ROOT=$STATE/root
    trap 'rm -f "$ROOT/usr/sbin/policy-rc.d"; umount_chroot' EXIT
    hostname "$HOST_SHORT"
    mount_chroot || { report 1 "mounts in the chroot"; return 1; }
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    policy_rc_d 'exit 101'
    {
        echo "deb $MIRROR $SUITE main"
        echo "deb $MIRROR $SUITE-updates main"
        [ -z "$SECURITY" ] || echo "deb $SECURITY $SUITE-security main"
    } > "$ROOT/etc/apt/sources.list"
    echo "$HOST_SHORT" > "$ROOT/etc/hostname"
    echo "$HOST_FQDN" > "$ROOT/etc/mailname"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s %s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
        "$HOST_FQDN" "$HOST_SHORT" > "$ROOT/etc/hosts"
    check "$SUITE: apt-get update" \
        bounded 600 "$STATE/apt-update.log" in_chroot apt-get update -q || return 1
    check "$SUITE: apt-get upgrade" \
        bounded 900 "$STATE/apt-upgrade.log" in_chroot apt-get upgrade -y -q || return 1
    # Java is there before Postern (the longest part of its installation, not what is tested).
    check "$SUITE: apt-get install default-jre-headless procps iproute2" \
        bounded 900 "$STATE/apt-base.log" \
        in_chroot apt-get install -y -q default-jre-headless procps iproute2 || return 1
    for mta in "postfix libsasl2-modules" "sendmail procmail" "exim4-daemon-light"; do
        # shellcheck disable=SC2086 # the package lists
        check "$SUITE: apt-get install --download-only $mta bsd-mailx" \
            bounded 900 "$STATE/apt-download.log" \
            in_chroot apt-get install -y -q --download-only $mta bsd-mailx || return 1
    done
    check "$SUITE: apt-get install --download-only ./$debname (Postern's dependencies)" \
        bounded 900 "$STATE/apt-download.log" \
        in_chroot apt-get install -y -q --download-only "/tmp/$debname"
}

# =======================================================================================
# --isolated SUITE:SCENARIO DEB: the test proper
# =======================================================================================

isolated_main() {
    local name=$1
    SUITE=${name%%:*}
    SCENARIO=${name#*:}
    ROOT=$STATE/root
    RECORD=$STATE/smarthost-$SUITE-$SCENARIO
    trap 'end_other_processes; umount_chroot' EXIT
    trap 'exit 130' INT TERM
    ip link set lo up && hostname "$HOST_SHORT" ||
        { report 1 "$name: network namespace set-up"; return 1; }
    mount_chroot || { report 1 "$name: mounts in the chroot"; return 1; }
    # No init system: a package may stop its service, start none, until Postern comes.
    policy_rc_d 'case $2 in stop|force-stop) exit 0 ;; esac\nexit 101'
    /usr/bin/python3 "$TOP/tests/helpers/auth_smtpd.py" "$SMARTHOST_PORT" "$STATE/cert.pem" \
        "$STATE/key.pem" "$LOGIN" "$SECRET" "$RECORD" > "$RECORD.log" 2>&1 &
    wait_for 10 test -e "$RECORD.ready" || { report 1 "$name: the smarthost starts" "$(cat "$RECORD.log")"; return 1; }
    T=60 in_chroot useradd -m -s /bin/bash alice
    run_phase "$name: the old MTA" "old_${SCENARIO//-/_}" &&
        run_phase "$name: apt-get install postern" phase_swap &&
        run_phase "$name: as before" "after_${SCENARIO//-/_}" &&
        if [ "$SCENARIO" = postfix-satellite ]; then
            run_phase "$name: reinstallation" phase_reinstall
        fi
}

# A reinstallation (as an upgrade) leaves main.cf and the report as they are.
phase_reinstall() {
    local before
    before=$(cd "$ROOT" && sha256sum etc/postern/main.cf var/lib/postern/migration.txt)
    check "apt-get install --reinstall ./${DEB##*/}" \
        apt_install reinstall.log --reinstall "/tmp/${DEB##*/}" || return 1
    check "the reinstallation does not migrate again" \
        bash -c "! grep -E '^postern: (migrated|warning: postern migrate)' '$STATE/reinstall.log'"
    check_eq "main.cf and the report are unchanged" "$before" \
        bash -c "cd '$ROOT' && sha256sum etc/postern/main.cf var/lib/postern/migration.txt"
}

# apt_install LOG PACKAGE...: from the chroot's cache (the namespace has no network).
apt_install() {
    local log=$1
    shift
    bounded 600 "$STATE/$log" in_chroot apt-get install -y -q \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

debconf() { printf '%s\n' "$@" | T=30 in_chroot_stdin debconf-set-selections; }

# --- the old MTAs, configured as their administrators did --------------------------------

old_postfix_satellite() {
    debconf "postfix postfix/main_mailer_type select Satellite system" \
        "postfix postfix/mailname string $HOST_FQDN" \
        "postfix postfix/relayhost string [$SMARTHOST]:$SMARTHOST_PORT"
    check "$SUITE satellite: apt-get install postfix (Satellite system) bsd-mailx" \
        apt_install postfix.log postfix libsasl2-modules bsd-mailx || return 1
    echo "[$SMARTHOST]:$SMARTHOST_PORT $LOGIN:$SECRET" > "$ROOT/etc/postfix/sasl_passwd"
    chmod 0600 "$ROOT/etc/postfix/sasl_passwd"
    check "postmap /etc/postfix/sasl_passwd" in_chroot postmap /etc/postfix/sasl_passwd
    check "postconf -e: SASL login, TLS required, loopback only, header_checks" \
        in_chroot postconf -e smtp_sasl_auth_enable=yes \
        smtp_sasl_password_maps=hash:/etc/postfix/sasl_passwd \
        smtp_sasl_security_options=noanonymous smtp_tls_security_level=encrypt \
        inet_interfaces=loopback-only 'header_checks=regexp:/etc/postfix/header_checks' \
        maillog_file=/var/log/postfix.log
    echo '/^X-Secret-Project:/ IGNORE' > "$ROOT/etc/postfix/header_checks"
    old_postfix_start
    T=60 as_user alice "echo before | mail -s 'through postfix' $REMOTE"
    check_match "Postfix relays through the smarthost with the login (the set-up is sound)" \
        "^mail [^ ]+ $LOGIN $REMOTE\$" wait_then_cat 30 "$RECORD"
}

old_postfix_start() {
    T=60 check "postfix start" in_chroot postfix start || return 1
    check "Postfix listens on port 25" wait_for 15 listening 25
}

old_postfix_internet() {
    debconf "postfix postfix/main_mailer_type select Internet Site" \
        "postfix postfix/mailname string $HOST_FQDN"
    check "$SUITE internet: apt-get install postfix (Internet Site) bsd-mailx" \
        apt_install postfix.log postfix libsasl2-modules bsd-mailx || return 1
    printf 'info@virtual.test alice\n' > "$ROOT/etc/postfix/virtual"
    check "postmap /etc/postfix/virtual" in_chroot postmap /etc/postfix/virtual
    check "postconf -e: virtual aliases, mynetworks 127.0.0.1/32, a 1 MB limit, header_checks" \
        in_chroot postconf -e virtual_alias_domains=virtual.test \
        virtual_alias_maps=hash:/etc/postfix/virtual 'mynetworks=127.0.0.1/32 [::1]/128' \
        message_size_limit=1000000 'header_checks=regexp:/etc/postfix/header_checks' \
        maillog_file=/var/log/postfix.log
    echo '/^X-Secret-Project:/ IGNORE' > "$ROOT/etc/postfix/header_checks"
    old_postfix_start
}

old_sendmail() {
    check "$SUITE sendmail: apt-get install sendmail procmail bsd-mailx" \
        apt_install sendmail.log sendmail procmail bsd-mailx || return 1
    printf '%s\n%s\n' "$HOST_FQDN" second.test > "$ROOT/etc/mail/local-host-names"
    printf 'AuthInfo:%s "U:%s" "P:%s" "M:PLAIN"\n' "$SMARTHOST" "$LOGIN" "$SECRET" \
        > "$ROOT/etc/mail/authinfo"
    chmod 0600 "$ROOT/etc/mail/authinfo"
    # Debian's sendmail.mc with what the administrator added before MAILER_DEFINITIONS.
    sed -i "/^MAILER_DEFINITIONS/i\\
define(\`SMART_HOST', \`[$SMARTHOST]')dnl\\
define(\`RELAY_MAILER_ARGS', \`TCP \$h $SMARTHOST_PORT')dnl\\
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $SMARTHOST_PORT')dnl\\
FEATURE(\`authinfo', \`hash /etc/mail/authinfo')dnl\\
MASQUERADE_AS(\`example.org')dnl\\
FEATURE(\`masquerade_envelope')dnl\\
FEATURE(\`local_procmail', \`/usr/bin/procmail')dnl\\
define(\`confMAX_DAEMON_CHILDREN', \`12')dnl" "$ROOT/etc/mail/sendmail.mc"
    check "make -C /etc/mail (sendmail.cf and the databases)" \
        bounded 120 "$STATE/sendmail-make.log" in_chroot make -C /etc/mail
    check "makemap hash /etc/mail/authinfo" \
        in_chroot sh -c 'makemap hash /etc/mail/authinfo < /etc/mail/authinfo'
}

old_exim_smarthost() {
    debconf "exim4-config exim4/dc_eximconfig_configtype select mail sent by smarthost; received via SMTP or fetchmail" \
        "exim4-config exim4/dc_smarthost string $SMARTHOST::$SMARTHOST_PORT" \
        "exim4-config exim4/dc_other_hostnames string second.test" \
        "exim4-config exim4/dc_local_interfaces string 127.0.0.1 ; ::1" \
        "exim4-config exim4/mailname string $HOST_FQDN" \
        "exim4-config exim4/dc_localdelivery select mbox format in /var/mail/"
    old_exim || return 1
    printf '%s:%s:%s\n' "$SMARTHOST" "$LOGIN" "$SECRET" >> "$ROOT/etc/exim4/passwd.client"
}

old_exim_local() {
    debconf "exim4-config exim4/dc_eximconfig_configtype select local delivery only; not on a network" \
        "exim4-config exim4/dc_local_interfaces string 127.0.0.1 ; ::1" \
        "exim4-config exim4/mailname string $HOST_FQDN" \
        "exim4-config exim4/dc_localdelivery select mbox format in /var/mail/"
    old_exim
}

old_exim() {
    check "$SUITE $SCENARIO: apt-get install exim4-daemon-light bsd-mailx (debconf)" \
        apt_install exim.log exim4-daemon-light bsd-mailx || return 1
    note "update-exim4.conf.conf:" "$(grep -v '^#' "$ROOT/etc/exim4/update-exim4.conf.conf")"
}

# --- the swap -------------------------------------------------------------------------

phase_swap() {
    local deb=${DEB##*/}
    cp "$DEB" "$ROOT/tmp/$deb" && chmod 0644 "$ROOT/tmp/$deb"
    # From here on, services may start (a server without systemd): Postern's postinst
    # starts it, with the migrated configuration.
    policy_rc_d 'exit 0'
    check "apt-get install ./$deb (one command, offline)" apt_install install.log "/tmp/$deb" ||
        return 1
    # (apt runs dpkg on a terminal of its own: the maintainer scripts' lines end in CR LF)
    sed -i 's/\r$//' "$STATE/install.log"
    note "apt: $(grep -E '^(Removing|Setting up|Unpacking) ' "$STATE/install.log" | tr '\n' ';')" \
        "postinst:" "$(grep '^postern: ' "$STATE/install.log")"
    check_match "the old MTA was removed before Postern's configuration" '^Removing ' \
        sed -n '/^Setting up postern /q;p' "$STATE/install.log"
    check_match "postinst prints how many settings were carried over and where the report is" \
        '^postern: migrated the configuration of [a-z]+ into /etc/postern/main\.cf: [1-9][0-9]* carried over, .* not carried over.*; the full report is /var/lib/postern/migration\.txt$' \
        cat "$STATE/install.log"
    check_eq "/var/lib/postern/migration.txt is root's, mode 0600" "root 600" \
        in_chroot stat -c '%U %a' /var/lib/postern/migration.txt
    check "the report carries settings over (old-file:line -> parameter)" \
        grep -q ' -> ' "$ROOT/var/lib/postern/migration.txt"
    check "the install output names what was not carried over, as the report does" \
        not_carried_named
    check "neither the install output nor the report shows the password" no_secret
    check "postern status: Postern runs after the installation" in_chroot postern status
    check "postern check" in_chroot postern check
    note "migrated main.cf:" "$(grep -v '^#' "$ROOT/etc/postern/main.cf" | grep .)"
    check "Postern answers on port 25" wait_for 30 banner_ok 127.0.0.1 25
}

not_carried_named() {
    local l n=0
    while IFS= read -r l; do
        n=$((n + 1))
        grep -qF -- "$l" "$ROOT/var/lib/postern/migration.txt" || { echo "not in the report: $l"; return 1; }
    done < <(sed -n 's/^postern:   not carried over: //p' "$STATE/install.log")
    echo "$n settings named as not carried over"
    [ "$n" -gt 0 ]
}

no_secret() {
    ! grep -F -- "$SECRET" "$STATE/install.log" "$ROOT/var/lib/postern/migration.txt"
}

# --- as before ------------------------------------------------------------------------

after_postfix_satellite() {
    check "nothing listens beyond loopback (inet_interfaces = loopback-only)" only_loopback
    relays_with_login "^mail alice@$HOST_FQDN $LOGIN $REMOTE\$"
    report_names header_checks
    if [ "$SUITE" = trixie ]; then
        check_match "postinst stopped Postfix's master, still running after its removal" \
            '^postern: stopped master ' cat "$STATE/install.log"
    fi
    check_match "Postern's daemon owns port 25" 'java' in_chroot ss -Hltnp 'sport = :25'
}

after_postfix_internet() {
    local box=$ROOT/var/mail/alice
    smtp_send 127.0.0.1 alice@$HOST_FQDN "to the host name"
    smtp_send 127.0.0.1 info@virtual.test "to the virtual alias"
    check "local delivery: /var/mail/alice within 30 s" wait_for 30 grep -q '^Subject: to the host name' "$box"
    check "virtual delivery: info@virtual.test reaches /var/mail/alice" \
        wait_for 30 grep -q '^Subject: to the virtual alias' "$box"
    check_match "a client in mynetworks (127.0.0.1) may relay" '^<- *250 ' \
        swaks_to 127.0.0.1 "$REMOTE"
    check_match "a client outside mynetworks (127.0.0.2) may not relay" '^<\*\* *5[0-9][0-9] ' \
        swaks_to 127.0.0.2 "$REMOTE"
    check_match "a client outside mynetworks may still send to alice" '^<- *250 .*(queued|Ok|ok|accepted)' \
        swaks_to 127.0.0.2 "alice@$HOST_FQDN"
    head -c 1200000 /dev/urandom | base64 > "$STATE/big"
    check_match "a message over message_size_limit (1 MB) is refused" '^<\*\* *55[0-9] ' \
        swaks_anyway --server 127.0.0.1 --port 25 --from "$REMOTE" --to "alice@$HOST_FQDN" \
        --body "@$STATE/big" --timeout 60
    report_names header_checks
}

after_sendmail() {
    local box=$ROOT/var/mail/alice
    smtp_send 127.0.0.1 "alice@$HOST_FQDN" "to the first local domain"
    smtp_send 127.0.0.1 alice@second.test "to the second local domain"
    check "mail to alice@$HOST_FQDN lands in /var/mail/alice" \
        wait_for 30 grep -q '^Subject: to the first local domain' "$box"
    check "mail to alice@second.test (local-host-names) lands in /var/mail/alice" \
        wait_for 30 grep -q '^Subject: to the second local domain' "$box"
    check_match "local mail goes through procmail (mailbox_command)" 'procmail' \
        in_chroot postern config mailbox_command
    relays_with_login "^mail alice@example\\.org $LOGIN $REMOTE\$"
    check "nothing listens beyond loopback, as before" only_loopback
}

after_exim_smarthost() {
    local box=$ROOT/var/mail/alice
    smtp_send 127.0.0.1 alice@second.test "to dc_other_hostnames"
    check "mail to alice@second.test (dc_other_hostnames) lands in /var/mail/alice" \
        wait_for 30 grep -q '^Subject: to dc_other_hostnames' "$box"
    relays_with_login "^mail alice@$HOST_FQDN $LOGIN $REMOTE\$"
    check "nothing listens beyond loopback, as before" only_loopback
}

after_exim_local() {
    T=60 check "alice: echo hi | mail -s t alice (local)" \
        as_user alice "echo hi | mail -s 'local only' alice"
    check "local mail lands in /var/mail/alice" \
        wait_for 30 grep -q '^Subject: local only' "$ROOT/var/mail/alice"
    check "nothing listens beyond loopback, as before" only_loopback
}

# relays_with_login ERE: mail(1) to a remote address arrives at the smarthost after AUTH
# with the old MTA's login; ERE matches its envelope line in the smarthost's record.
relays_with_login() {
    : > "$RECORD"
    T=60 check "alice: echo hi | mail -s t $REMOTE" as_user alice "echo hi | mail -s t $REMOTE"
    check_match "the smarthost took it with the login $LOGIN" "$1" wait_then_cat 60 "$RECORD" ||
        note "log:" "$(tail -n 20 "$ROOT/var/log/postern.log")"
    check_match "the login was accepted" "^auth [A-Z]+ $LOGIN [^ ]+ ok\$" cat "$RECORD"
}

report_names() {
    check_match "the report names $1 (not carried over)" "$1" cat "$ROOT/var/lib/postern/migration.txt"
}

# --- small predicates -----------------------------------------------------------------

listening() { T=30 in_chroot ss -Hltn "sport = :$1" | grep -q .; }

banner_ok() {
    timeout 10 bash -c "exec 3<> /dev/tcp/$1/$2 && head -n 1 <&3" 2>/dev/null | grep -q '^220 '
}

# only_loopback: every TCP listener is on 127.0.0.0/8 or ::1.
only_loopback() {
    local l
    l=$(T=30 in_chroot ss -Hltn | awk '{ print $4 }' | sed 's/^\[::ffff:\([0-9.]*\)\]/\1/')
    echo "listening: $(xargs <<< "$l")"
    ! grep -Ev '^(127\.[0-9.]+|\[::1\]):[0-9]+$' <<< "$l"
}

wait_then_cat() {
    wait_for "$1" test -s "$2"
    sleep 1
    cat "$2"
}

# swaks_to CLIENT-ADDRESS TO: the dialogue up to RCPT; swaks_anyway: any dialogue. Both
# exit 0 whatever the server answered (the checks read the replies).
swaks_to() {
    swaks_anyway --server 127.0.0.1 --port 25 --local-interface "$1" --from "$REMOTE" --to "$2" \
        --quit-after RCPT --timeout 30
}

swaks_anyway() { swaks "$@" 2>&1 || true; }

# smtp_send CLIENT-ADDRESS TO SUBJECT: one message over SMTP on port 25.
smtp_send() {
    check "SMTP from $1: a message to $2" swaks --server 127.0.0.1 --port 25 --local-interface "$1" \
        --from "$REMOTE" --to "$2" --header "Subject: $3" --body "$3" --timeout 30
}

# =======================================================================================
# main
# =======================================================================================

main() {
    local t0=$SECONDS pass fail s
    [ "$(id -u)" -eq 0 ] || { echo "deb-migrate.sh: run as root" >&2; exit 77; }
    mkdir -p /var/tmp
    STATE=$(mktemp -d /var/tmp/postern-migrate-test.XXXXXX)
    : > "$STATE/results"
    trap outer_cleanup EXIT
    trap 'exit 130' INT TERM
    read_mirrors
    note "mirror: $MIRROR${SECURITY:+, security: $SECURITY}"
    if run_phase "build" phase_build; then
        for s in ${*:-$ALL_SCENARIOS}; do
            run_phase "$s" run_scenario "$s"
        done
    fi
    pass=$(grep -c '^ok' "$STATE/results")
    fail=$(grep -c '^not ok' "$STATE/results")
    note "total: $((SECONDS - t0)) s"
    echo "deb migrate: $pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}

case ${1:-} in
--prepare)
    STATE=$2
    shift 2
    prepare_main "$@"
    ;;
--isolated)
    STATE=$2
    DEB=$4
    isolated_main "$3"
    ;;
*)
    main "$@"
    ;;
esac
