#!/usr/bin/env bash
# tests/packaging/deb-install.sh: installs the Postern .deb in a Debian 12 chroot in place of
# Postfix, uses it as real users do, upgrades, removes and purges it. Runs as root.
#
#   tests/packaging/deb-install.sh
#
# Host side, with the network: debootstrap (installed when missing), the .deb build, and a
# minbase bookworm chroot with Postfix, mailutils and the Java packages Postern needs
# already downloaded. Cached in /var/cache/postern-test/: the fresh minbase chroot, and the
# prepared one for the day. Then everything in the chroot runs in its own network, mount,
# pid and UTS namespaces (only loopback, hostname "debian"), so Postfix and Postern bind
# port 25 without touching the host, and every process and mount is gone when it ends.
#
# Prints TAP-like lines, the time of each phase and "deb install: P passed, F failed";
# exits 1 when anything failed. Environment: POSTERN_TEST_KEEP=1 keeps the work directory
# (the chroot) for a look afterwards; POSTERN_TEST_CACHE overrides the cache directory.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SELF=$HERE/$(basename "$0")
. "$HERE/lib-deb-test.sh"

SUITE=bookworm
CACHE=${POSTERN_TEST_CACHE:-/var/cache/postern-test}
HOST_SHORT=debian
HOST_FQDN=debian.postern.test
V1=0.1.0
V2=0.1.1
# A relay nobody listens on in the test's network namespace: remote mail defers.
DEAD_RELAY='[127.0.0.1]:2525'
export DEBIAN_FRONTEND=noninteractive

# =======================================================================================
# Host side
# =======================================================================================

phase_host_tools() {
    local need=()
    command -v debootstrap > /dev/null || need+=(debootstrap)
    command -v ip > /dev/null || need+=(iproute2)
    command -v unshare > /dev/null || need+=(util-linux)
    command -v zstd > /dev/null || need+=(zstd)
    command -v mvn > /dev/null || need+=(maven)
    command -v javac > /dev/null || need+=(default-jdk-headless)
    if [ ${#need[@]} -gt 0 ]; then
        bounded 600 "$STATE/host-apt.log" apt-get install -y -q "${need[@]}" > /dev/null ||
            bounded 600 "$STATE/host-apt-update.log" apt-get update -q > /dev/null
        check "host: apt-get install ${need[*]}" \
            bounded 600 "$STATE/host-apt.log" apt-get install -y -q "${need[@]}" || return 1
    fi
    read_mirrors
    note "mirror: $MIRROR${SECURITY:+, security: $SECURITY}"
}

# build VERSION [ENV...]: packaging/deb/build into $STATE/out; sets DEB to the package.
build() {
    local version=$1 out rc last
    shift
    DEB=$STATE/out/postern_${version}_$(dpkg --print-architecture).deb
    out=$(cd "$TOP" && timeout --kill-after=10 900 env POSTERN_VERSION="$version" "$@" \
        packaging/deb/build "$STATE/out" 2> "$STATE/build-$version.log" < /dev/null)
    rc=$?
    last=$(tail -n 1 <<< "$out")
    report "$rc" "packaging/deb/build makes postern $version (exit 0)" \
        "$(tail -n 40 "$STATE/build-$version.log")" || return 1
    check "the $version package exists" test -s "$DEB" || return 1
    if [ "$last" = "$DEB" ]; then
        report 0 "packaging/deb/build prints the package's path as stdout's last line"
    else
        report 1 "packaging/deb/build prints the package's path as stdout's last line" \
            "expected: $DEB"$'\n'"got:      $(printf '%q' "$last")"
    fi
    # lintian's verdict (packaging/deb/build runs it with --fail-on error).
    if command -v lintian > /dev/null; then
        if grep -Eq '^[EW]: ' "$STATE/build-$version.log"; then
            note "lintian:" "$(grep -E '^[EW]: ' "$STATE/build-$version.log")"
        fi
    fi
}

phase_build() {
    build "$V1"
}

# The chroot of the day: a minbase one with Postfix, mailutils and the packages Postern
# depends on downloaded (not installed): apt installs them in the isolated phase, which
# has no network.
phase_chroot() {
    local tarball=$CACHE/$SUITE-mta-$(date +%Y%m%d).tar.zst
    mkdir -p "$CACHE" && exec 9> "$CACHE/lock"
    flock -w 1200 9 || { report 1 "cache lock $CACHE/lock" "still held after 20 min"; return 1; }
    if [ -s "$tarball" ]; then
        check "chroot unpacked from $tarball" untar_from "$tarball" || return 1
        prepare_in_namespace fetch || return 1
    else
        minbase_chroot || return 1
        prepare_in_namespace full || return 1
        check "prepared chroot cached as $tarball" tar_to "$tarball" &&
            find "$CACHE" -maxdepth 1 -name "$SUITE-mta-*.tar.zst" ! -name "${tarball##*/}" -delete
    fi
    flock -u 9
    note "chroot: $(du -sh "$ROOT" | cut -f1)"
}

# prepare_in_namespace full|fetch: this script's --prepare part, with the network, in its
# own mount and UTS namespaces.
prepare_in_namespace() {
    cp "$DEB" "$ROOT/tmp/" && chmod 0644 "$ROOT/tmp/${DEB##*/}"
    timeout --kill-after=10 1500 unshare --mount --uts --propagation private --fork --kill-child \
        "$SELF" --prepare "$STATE" "$1" "${DEB##*/}" "$MIRROR" "${SECURITY:-}"
    local rc=$?
    rm -f "$ROOT/tmp/${DEB##*/}"
    [ "$rc" -eq 0 ] || note "prepare ($1) ended with status $rc"
    return "$rc"
}

# =======================================================================================
# --prepare: inside the chroot, with the network (mount and UTS namespaces of its own)
# =======================================================================================

prepare_main() {
    local mode=$1 debname=$2
    MIRROR=$3
    SECURITY=$4
    ROOT=$STATE/root
    trap 'rm -f "$ROOT/usr/sbin/policy-rc.d"; umount_chroot' EXIT
    hostname "$HOST_SHORT"
    mount_chroot || { report 1 "mounts in the chroot"; return 1; }
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    # No service starts while packages are installed here (with the host's network).
    printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
    chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
    if [ "$mode" = full ]; then
        {
            echo "deb $MIRROR $SUITE main"
            echo "deb $MIRROR $SUITE-updates main"
            [ -z "$SECURITY" ] || echo "deb $SECURITY $SUITE-security main"
        } > "$ROOT/etc/apt/sources.list"
        echo "$HOST_SHORT" > "$ROOT/etc/hostname"
        echo "$HOST_FQDN" > "$ROOT/etc/mailname"
        printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s %s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
            "$HOST_FQDN" "$HOST_SHORT" > "$ROOT/etc/hosts"
        printf '%s\n' "postfix postfix/main_mailer_type select Local only" \
            "postfix postfix/mailname string $HOST_FQDN" |
            in_chroot_stdin debconf-set-selections
        check "chroot: apt-get update" \
            bounded 600 "$STATE/apt-update.log" in_chroot apt-get update -q || return 1
        # What a small real server has besides the MTA: ps, ss, less, a mail reader.
        check "chroot: apt-get install postfix mailutils procps iproute2" \
            bounded 900 "$STATE/apt-postfix.log" \
            in_chroot apt-get install -y -q postfix mailutils procps iproute2 || return 1
        # Up to date, as a server is (the minbase has the release's packages).
        check "chroot: apt-get upgrade" \
            bounded 900 "$STATE/apt-upgrade.log" in_chroot apt-get upgrade -y -q || return 1
    fi
    # Java and the rest of Postern's dependencies, downloaded only (quick when cached).
    check "chroot: apt-get install --download-only ./$debname (Postern's dependencies)" \
        bounded 900 "$STATE/apt-download.log" \
        in_chroot apt-get install -y -q --download-only "/tmp/$debname"
}

# =======================================================================================
# --isolated: the test proper (network, mount, pid and UTS namespaces of its own)
# =======================================================================================

isolated_main() {
    ROOT=$STATE/root
    trap isolated_cleanup EXIT
    trap 'exit 130' INT TERM
    ip link set lo up && hostname "$HOST_SHORT" || { report 1 "network namespace set-up"; return 1; }
    mount_chroot || { report 1 "mounts in the chroot"; return 1; }
    # invoke-rc.d finds no init system in a chroot and then blocks every action: this lets
    # a package stop its service (Postfix's removal stops Postfix, as on a real server) and
    # start none (101: Postern's installation must succeed without starting anything).
    policy_rc_d 'case $2 in stop|force-stop) exit 0 ;; esac\nexit 101'
    note "network namespace: $(ip -o link | awk -F': ' '{printf "%s ", $2}')(loopback only)"
    run_phase "Postfix in the chroot" phase_postfix &&
        run_phase "install postern $V1 in place of Postfix" phase_install &&
        run_phase "postern start" phase_service &&
        run_phase "mail from real users" phase_mail &&
        run_phase "upgrade to $V2 with mail on hold" phase_upgrade &&
        run_phase "remove and purge" phase_remove
}

# Stops the MTAs, then whatever else still runs in this pid namespace (all of it started
# here), and unmounts; the namespaces end with this process anyway.
isolated_cleanup() {
    T=30 in_chroot sh -c 'command -v postern && postern status && postern stop' > /dev/null 2>&1
    T=30 in_chroot sh -c 'command -v postfix && postfix status && postfix stop' > /dev/null 2>&1
    end_other_processes
    umount_chroot
}

is_berkeley_hash() {
    # Berkeley DB hash: magic 0x00061561 at offset 12 (native byte order).
    [ "$(od -An -tx4 -j12 -N4 "$ROOT$1" 2> /dev/null | tr -d ' ')" = 00061561 ]
}

smtp_banner() {
    timeout 10 bash -c 'exec 3<> /dev/tcp/127.0.0.1/25 && head -n 1 <&3' 2>&1
}

phase_postfix() {
    T=60 check "postfix start" in_chroot postfix start || return 1
    check_match "Postfix answers on 127.0.0.1:25 (in the test's network namespace)" '^220 ' \
        wait_then_banner
    check "useradd -m alice" in_chroot useradd -m -s /bin/bash alice || return 1
    check "useradd -m bob" in_chroot useradd -m -s /bin/bash bob || return 1
    cat > "$ROOT/etc/aliases" << 'EOF'
# /etc/aliases: see aliases(5).
mailer-daemon: postmaster
postmaster: root
nobody: root
team: alice, bob
EOF
    check "newaliases (Postfix's) with an extra alias" in_chroot newaliases
    check "/etc/aliases.db is a Berkeley DB hash file (Postfix's)" is_berkeley_hash /etc/aliases.db
    check_eq "Postfix's postmap -q team hash:/etc/aliases" "alice, bob" \
        in_chroot postmap -q team hash:/etc/aliases
    printf 'Subject: delivered by Postfix\n\nbefore Postern\n' |
        T=30 in_chroot_stdin /usr/sbin/sendmail -i alice
    check "Postfix delivers root's message to /var/mail/alice" \
        wait_for 30 grep -q '^Subject: delivered by Postfix' "$ROOT/var/mail/alice" || return 1
    return 0
}

wait_then_banner() {
    wait_for 15 smtp_banner_ok
    smtp_banner
}

smtp_banner_ok() { smtp_banner | grep -q '^220 '; }

# The package's owner/mode table: every runtime directory (type r) as "path owner group mode".
runtime_dirs() {
    grep -v '^[[:space:]]*\(#\|$\)' "$TOP/packaging/postern-files" |
        awk '$2 == "r" { print $1, $3, $4, $5 }'
}

# cds_ok NEWER_THAN: exactly one archive under /usr/share/postern/lib/cds, named for the
# jars' checksum (jars.sha256, recomputed here as build-cds.sh does) and the chroot's Java
# (.jsa; .aot from Java 25 on), and modified after NEWER_THAN (a file) when given.
cds_ok() {
    local lib=$ROOT/usr/share/postern/lib archives sum recorded javav name ext=jsa
    archives=$(cd "$lib/cds" 2> /dev/null && ls -- *.jsa *.aot 2> /dev/null)
    [ "$(grep -c . <<< "$archives")" -eq 1 ] || { echo "archives in $lib/cds: ${archives:-none}"; return 1; }
    read -r recorded _ < "$lib/jars.sha256" || { echo "no $lib/jars.sha256"; return 1; }
    sum=$(cd "$lib" && cat $(ls -- *.jar | LC_ALL=C sort) | sha256sum | cut -c1-32)
    javav=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$ROOT"/usr/lib/jvm/*/release | sort -V | tail -n 1)
    name=$archives
    [ "${javav%%.*}" -lt 25 ] || ext=aot
    echo "archive $name; jars.sha256 $recorded; jars now $sum; Java $javav"
    [ "$recorded" = "$sum" ] && [ "$name" = "$sum-$javav.$ext" ] || return 1
    if [ -n "${1:-}" ] && ! [ "$lib/cds/$name" -nt "$1" ]; then
        echo "$name is not newer than $1"
        return 1
    fi
}

# units_enabled / units_not_masked: what deb-systemd-helper left in /etc/systemd/system
# (it works without systemd running).
units_enabled() {
    local u ok=0
    for u in postern.service postern-local.service; do
        if [ -L "$ROOT/etc/systemd/system/multi-user.target.wants/$u" ]; then
            echo "$u: enabled"
        else
            echo "$u: no multi-user.target.wants link"
            ok=1
        fi
    done
    return "$ok"
}

units_not_masked() {
    local u ok=0
    for u in postern.service postern-local.service; do
        if [ "$(readlink "$ROOT/etc/systemd/system/$u")" = /dev/null ]; then
            echo "$u: masked (/etc/systemd/system/$u -> /dev/null)"
            ok=1
        fi
    done
    return "$ok"
}

no_unit_links() {
    local l
    l=$(find "$ROOT/etc/systemd/system" -lname '*postern*' -o -name 'postern*' 2> /dev/null)
    echo "${l:-none}"
    [ -z "$l" ]
}

# --- small predicates for the checks (each prints what it saw) ---------------------------

postfix_not_installed() {
    local s
    s=$(T=30 in_chroot dpkg-query -W -f '${Status}' postfix 2>&1)
    echo "postfix: $s"
    [ "$s" != "install ok installed" ]
}

no_postfix_master() {
    local p
    p=$(T=30 in_chroot ps -C master -o pid=,user=,args=)
    echo "${p:-no master process}"
    [ -z "$p" ]
}

not_berkeley_hash() { test -s "$ROOT$1" && ! is_berkeley_hash "$1"; }

count_lines() { "$@" | grep -c .; }

no_other_root_process() {
    local p
    p=$(postern_procs | awk '$1 == "root"' | grep -Ev 'PosternCommand( -C [^ ]+)? local( |$)')
    echo "${p:-none}"
    [ -z "$p" ]
}

no_postern_process() {
    local p
    p=$(postern_procs)
    echo "${p:-none}"
    [ -z "$p" ]
}

daemon_restarted() {
    local now
    now=$(daemon_pid | head -n 1)
    echo "daemon pid before: ${1:-none}, now: ${now:-none}"
    [ -n "$now" ] && [ "$now" != "$1" ]
}

mailq_lists() {
    local q
    q=$(T=30 in_chroot mailq 2>&1)
    grep -E "^$1\b" <<< "$q" || { echo "$q"; return 1; }
}

# The deferred messages that were not there before this phase.
new_deferred_ids() { deferred_ids | grep -vxF -f "$STATE/deferred-before"; }
has_new_deferred() { [ -n "$(new_deferred_ids)" ]; }

mailbox_sum() { sha256sum < "$ROOT/var/mail/$1"; }

postern_not_in_dpkg() {
    local s
    s=$(T=30 in_chroot dpkg-query -W -f '${Status}' postern 2>&1)
    echo "postern: $s"
    case $s in *"not-installed"* | *"no packages found"*) return 0 ;; esac
    return 1
}

phase_install() {
    local deb=${DEB##*/} path owner group mode want
    cp "$DEB" "$ROOT/tmp/$deb" && chmod 0644 "$ROOT/tmp/$deb"
    check "apt-get install ./$deb (no network: dependencies from the cache)" \
        bounded 600 "$STATE/install-$V1.log" in_chroot apt-get install -y -q \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "/tmp/$deb" ||
        return 1
    note "apt: $(grep -E '^(Removing|Setting up|Unpacking) ' "$STATE/install-$V1.log" | tr '\n' ';')"
    check_eq "postern $V1 is installed" "install ok installed $V1" \
        in_chroot dpkg-query -W -f '${Status} ${Version}' postern
    check "apt removed postfix (not installed any more)" postfix_not_installed
    check "Postfix's master process was stopped by the removal" no_postfix_master
    check_eq "/usr/sbin/sendmail resolves to Postern's native front" /usr/lib/postern/sendmail \
        in_chroot readlink -f /usr/sbin/sendmail
    check_eq "/usr/lib/sendmail resolves to Postern's native front" /usr/lib/postern/sendmail \
        in_chroot readlink -f /usr/lib/sendmail
    check_eq "mailq resolves to Postern's native front" /usr/lib/postern/sendmail \
        in_chroot readlink -f /usr/bin/mailq
    check_eq "the native front is an ELF executable of root's, mode 0755 (not setuid)" \
        "ELF root 755" native_front_kind
    # No daemon yet (policy-rc.d): the front runs the JVM command, which uses the maildrop.
    T=60 check "alice: sendmail -i bob with the daemon down (the JVM command's maildrop)" \
        as_user alice "printf 'Subject: dropped before start\n\nx\n' | /usr/sbin/sendmail -i bob"
    check_eq "the message waits in maildrop/ as alice's file" 1 maildrop_files_of alice
    check_eq "newaliases resolves to Postern's" /usr/share/postern/bin/newaliases \
        in_chroot readlink -f /usr/bin/newaliases
    check_match "the postern user exists, a system user with a group of its own" \
        '^postern:x:[1-9][0-9]{0,2}:' in_chroot getent passwd postern
    check "the postern group exists" in_chroot getent group postern
    while read -r path owner group mode; do
        want="$owner $group $(printf '%o' $((8#$mode)))"
        check_eq "$path is $owner:$group $mode (packaging/postern-files)" "$want" \
            in_chroot stat -c '%U %G %a' "$path"
    done < <(runtime_dirs)
    check_eq "/var/log/postern.log is postern:adm 0640" "postern adm 640" \
        in_chroot stat -c '%U %G %a' /var/log/postern.log
    check "/etc/aliases.db is no longer a Berkeley DB file" not_berkeley_hash /etc/aliases.db
    check_eq "postmap -q team hash:/etc/aliases (Postern's)" "alice, bob" \
        in_chroot postmap -q team hash:/etc/aliases
    check_eq "praliases team (sendmail's key:value)" "team:alice, bob" in_chroot praliases team
    check "the class-data archive is built for the installed jars and Java" cds_ok
    check "postern check" in_chroot postern check
    check "postern.service and postern-local.service are enabled (multi-user.target.wants)" \
        units_enabled
    # No systemd here: the LSB script, registered, and policy-rc.d's 101 honoured.
    check_match "/etc/init.d/postern is a conffile" '^ /etc/init\.d/postern [0-9a-f]{32}$' \
        in_chroot dpkg-query -W -f '${Conffiles}\n' postern
    check "update-rc.d made the links (/etc/rc2.d/S*postern, /etc/rc0.d/K*postern)" \
        rc_links_present
    check_match "postern's postinst asked invoke-rc.d, which policy-rc.d denied (101)" \
        'policy-rc.d denied execution of (re)?start' \
        sed -n '/^Setting up postern /,/^\(Setting up\|Processing\) /p' "$STATE/install-$V1.log"
    check "with policy-rc.d 101 the installation started nothing (and succeeded)" \
        no_postern_process
    # Postfix's configuration is left (removed, not purged): the postinst migrated it.
    check_match "postinst migrated Postfix's configuration and says where the report is" \
        '^postern: migrated the configuration of postfix into /etc/postern/main\.cf: .*; the full report is /var/lib/postern/migration\.txt' \
        tr -d '\r' < "$STATE/install-$V1.log"
    check_eq "mail-transport-agent.service is an alias of postern.service" \
        /lib/systemd/system/postern.service readlink "$ROOT/etc/systemd/system/mail-transport-agent.service"
    return 0
}

native_front_kind() {
    printf '%s %s' "$(head -c 4 "$ROOT/usr/lib/postern/sendmail" | tail -c 3)" \
        "$(in_chroot stat -c '%U %a' /usr/lib/postern/sendmail)"
}

maildrop_files_of() { in_chroot find /var/spool/postern/maildrop -type f -user "$1" | wc -l; }

rc_links_present() {
    ls "$ROOT"/etc/rc2.d/S??postern "$ROOT"/etc/rc0.d/K??postern
}

no_rc_links() {
    local l
    l=$(ls "$ROOT"/etc/rc?.d/*postern 2> /dev/null)
    echo "${l:-none}"
    [ -z "$l" ]
}

# The reload lines of the mail log (the daemon writes one per reload).
reload_lines() { grep -c 'postern/master\[[0-9]*\]: reload -- version' "$ROOT/var/log/postern.log"; }
reloaded_since() { [ "$(reload_lines)" -gt "$1" ]; }

# postern_procs: "user pid args" of every Postern JVM in the chroot.
postern_procs() {
    T=30 in_chroot ps -eo user:16=,pid=,args= | awk '/org\.postern\./ && !/awk/ { print }'
}

# daemon_pid / local_pid: the pid of the daemon (postern start --foreground, user postern)
# and of the local delivery service (postern local, root).
daemon_pid() { postern_procs | awk '$1 == "postern" && / start --foreground/ { print $2 }'; }
local_pid() {
    postern_procs | awk '$1 == "root" && /PosternCommand( -C [^ ]+)? local( |$)/ { print $2 }'
}

# The assertions on the running service (after start and again after the upgrade).
check_service_processes() {
    local when=$1 pid procs
    procs=$(postern_procs | sed -E 's/^([^ ]+ +[0-9]+) .* (org\.postern\.)/\1 java ... \2/')
    note "Postern processes ($when):" "${procs:-none}"
    check_eq "the daemon runs as user postern, once ($when)" 1 count_lines daemon_pid
    check_eq "the local delivery service (postern local) runs as root, once ($when)" 1 \
        count_lines local_pid
    check "no other Postern process runs as root ($when)" no_other_root_process
    pid=$(daemon_pid | head -n 1)
    check_eq "the daemon's only capability is CAP_NET_BIND_SERVICE ($when)" \
        "CapEff:	0000000000000400" grep '^CapEff:' "/proc/${pid:-none}/status"
    check_match "the daemon listens on port 25 ($when)" "pid=${pid:-none}," \
        in_chroot ss -Hltnp 'sport = :25'
    check_match "SMTP banner on 127.0.0.1:25 ($when)" '^220 .*Postern' smtp_banner
}

phase_service() {
    local pid reloads
    # Remote mail goes through a relay nobody answers for: it stays queued (the upgrade).
    echo "relayhost = $DEAD_RELAY" >> "$ROOT/etc/postern/main.cf"
    # From here on an administrator's policy-rc.d lets every service start, as on a server
    # without systemd: the maintainer scripts start and stop Postern themselves.
    policy_rc_d 'exit 0'
    T=90 check "invoke-rc.d postern start (the LSB script, no systemd)" \
        in_chroot invoke-rc.d postern start || return 1
    check "postern status" in_chroot postern status
    wait_for 20 smtp_banner_ok
    check_service_processes "after invoke-rc.d postern start"
    check_eq "it listens where Postfix did (Local only: port 25 on loopback, ss -ltn)" \
        "127.0.0.1:25" tcp_listeners
    T=60 check_match "/etc/init.d/postern status reports the daemon" \
        'the Postern mail system is running: PID: [0-9]+' in_chroot /etc/init.d/postern status
    T=60 check_match "/etc/init.d/postern status reports the local delivery service" \
        'the local delivery service is running: PID: [0-9]+' in_chroot /etc/init.d/postern status
    # postern reload on a minimal Debian (no procps): kill(2), the daemon stays the same.
    pid=$(daemon_pid | head -n 1)
    reloads=$(reload_lines)
    T=60 check_match "postern reload exits 0" '^postern: refreshing the Postern mail system$' \
        in_chroot postern reload
    check "the daemon logs the reload" wait_for 15 reloaded_since "$reloads"
    check_eq "the daemon is the same process after the reload" "${pid:-none}" daemon_pid
    reloads=$(reload_lines)
    T=60 check "/etc/init.d/postern reload" in_chroot /etc/init.d/postern reload
    check "the daemon logs the second reload" wait_for 15 reloaded_since "$reloads"
    check_match "SMTP still answers after the reloads" '^220 .*Postern' smtp_banner
    T=90 check "/etc/init.d/postern stop" in_chroot /etc/init.d/postern stop
    check "no Postern process runs after /etc/init.d/postern stop" no_postern_process
    T=60 check_eq "/etc/init.d/postern status exits 3 when stopped (LSB)" 3 \
        exit_status in_chroot /etc/init.d/postern status
    T=90 check "/etc/init.d/postern start" in_chroot /etc/init.d/postern start || return 1
    wait_for 20 smtp_banner_ok
    check_service_processes "after /etc/init.d/postern start"
    return 0
}

exit_status() { "$@" > /dev/null 2>&1; echo $?; }

no_auth_warning() {
    local w
    w=$(grep -A1 '^X-Authentication-Warning:' "$ROOT/var/mail/$1")
    echo "${w:-none}"
    [ -z "$w" ]
}

# save_log: keeps /var/log/postern.log (the purge removes it) and checks it for failures.
save_log() {
    cp "$ROOT/var/log/postern.log" "$STATE/postern.log" 2> /dev/null
    check "/var/log/postern.log has no fatal, panic or Java exception line" \
        bash -c "grep -E 'fatal|panic|Exception|^[[:space:]]+at ' '$STATE/postern.log'; [ \$? -eq 1 ]"
    # Postfix's snakeoil key (smtpd_tls_key_file, carried over) is root:ssl-cert 0640: the
    # postinst put postern in ssl-cert, and the daemon (postern's groups) reads it.
    check "the daemon read the carried-over snakeoil key (no 'cannot use the TLS certificate')" \
        bash -c "! grep -q 'cannot use the TLS certificate and key on port 25' '$STATE/postern.log'"
}

mbox_count() { grep -c '^From ' "$ROOT/var/mail/$1" 2> /dev/null; }

all_delivered() {
    grep -q '^Subject: test from alice' "$ROOT/var/mail/root" &&
        grep -q '^Subject: Cron <alice@debian> run-parts' "$ROOT/var/mail/alice" &&
        grep -q '^Subject: team meeting' "$ROOT/var/mail/alice" &&
        grep -q '^Subject: team meeting' "$ROOT/var/mail/bob" &&
        grep -q '^Subject: dropped before start' "$ROOT/var/mail/bob" &&
        grep -q '^Subject: through the socket' "$ROOT/var/mail/bob"
}

phase_mail() {
    local box=$ROOT/var/mail
    T=60 check "alice: echo hi | mail -s 'test from alice' root" \
        as_user alice "echo hi | mail -s 'test from alice' root"
    T=60 check "alice: cron-style sendmail -FCronDaemon -i -B8BITMIME -oem alice" \
        as_user alice "printf 'Subject: Cron <alice@debian> run-parts\nContent-Type: text/plain; charset=UTF-8\n\nGrüße aus dem Cron-Job\n' |
            /usr/sbin/sendmail -FCronDaemon -i -B8BITMIME -oem alice"
    T=60 check "bob: mail -s 'team meeting' team (alias: alice, bob)" \
        as_user bob "echo 'at ten' | mail -s 'team meeting' team"
    T=60 check "alice: mailq" as_user alice mailq
    # The daemon serves the front itself: without launchers a fallback to the JVM would fail.
    T=60 check "alice: the native front hands a message to the daemon (no JVM command)" \
        as_user alice "printf 'Subject: through the socket\n\nx\n' | POSTERN_BIN=/nonexistent /usr/sbin/sendmail -i bob"
    T=60 check_match "POSTERN_SENDMAIL_JVM=1 mailq runs the JVM command" '(is empty|Total requests)' \
        as_user alice "POSTERN_SENDMAIL_JVM=1 mailq"
    T=60 check "root: newaliases with the existing /etc/aliases" in_chroot newaliases
    if ! check "every message is delivered within 30 s" wait_for 30 all_delivered; then
        note "queue:" "$(T=30 in_chroot mailq 2>&1)" "log:" "$(tail -n 30 "$ROOT/var/log/postern.log")"
    fi
    check_match "root's message is in /var/mail/root" '^Subject: test from alice' \
        grep '^Subject: ' "$box/root"
    check_match "the cron message is in /var/mail/alice" '^Subject: Cron <alice@debian> run-parts' \
        grep '^Subject: ' "$box/alice"
    check_match "its From: carries the full name CronDaemon" '^From: .*CronDaemon' \
        grep '^From: ' "$box/alice"
    check_match "its 8-bit body arrived unchanged" '^Grüße aus dem Cron-Job$' cat "$box/alice"
    check_match "the team alias reached alice" '^Subject: team meeting' grep '^Subject: ' "$box/alice"
    check_match "the team alias reached bob" '^Subject: team meeting' grep '^Subject: ' "$box/bob"
    check_match "the message dropped before the daemon started reached bob" \
        '^Subject: dropped before start' grep '^Subject: ' "$box/bob"
    check_match "the message the front handed to the daemon reached bob" \
        '^Subject: through the socket' grep '^Subject: ' "$box/bob"
    check_match "the daemon queued it under alice's uid (the socket's peer credentials)" \
        "postern/pickup\\[[0-9]+\\]: [0-9A-Z]+: uid=$(in_chroot id -u alice) from=<alice@" \
        cat "$ROOT/var/log/postern.log"
    check_eq "/var/mail/alice holds 3 messages (Postfix's and Postern's)" 3 mbox_count alice
    check_eq "/var/mail/alice is alice's, mode 0600" "alice 600" \
        in_chroot stat -c '%U %a' /var/mail/alice
    check_eq "/var/mail/bob (made by Postern) is bob's, mode 0600" "bob 600" \
        in_chroot stat -c '%U %a' /var/mail/bob
    check_eq "/var/mail/root is root's, mode 0600" "root 600" \
        in_chroot stat -c '%U %a' /var/mail/root
    T=60 check_match "alice: mailq once delivered says the queue is empty" 'is empty' \
        as_user alice mailq
    # The machine's mail name, as Postfix had it: the FQDN (/etc/hosts) and /etc/mailname.
    check_match "the cron mail's sender is alice@$HOST_FQDN (/etc/mailname, the FQDN)" \
        "^From: CronDaemon <alice@$HOST_FQDN>\$" grep '^From: ' "$box/alice"
    check "mail(1)'s -f root@$HOST_FQDN is the user's own address: no X-Authentication-Warning" \
        no_auth_warning root
    T=60 check "bob: mail -s 'to the mail name' alice@$HOST_FQDN" \
        as_user bob "echo 'fqdn' | mail -s 'to the mail name' alice@$HOST_FQDN"
    if ! check "mail to alice@$HOST_FQDN is delivered locally within 15 s" \
        wait_for 15 grep -q '^Subject: to the mail name' "$box/alice"; then
        note "queue:" "$(T=30 in_chroot mailq 2>&1)" \
            "log:" "$(grep -F "$HOST_FQDN>" "$ROOT/var/log/postern.log" | tail -n 3)"
    fi
    return 0
}

deferred_ids() { find "$ROOT/var/spool/postern/deferred" -type f -printf '%f\n' 2> /dev/null; }

phase_upgrade() {
    local id before_pid mark=$STATE/before-upgrade deb
    deferred_ids > "$STATE/deferred-before"
    T=60 check "alice: sendmail someone@example.invalid (relayhost $DEAD_RELAY: defers)" \
        as_user alice "echo 'stays queued' | /usr/sbin/sendmail -i someone@example.invalid"
    check "the message is deferred within 30 s" wait_for 30 has_new_deferred
    id=$(new_deferred_ids | head -n 1)
    check_match "postern queue hold $id" "^$id: placed on hold" in_chroot postern queue hold "${id:-none}"
    check_match "mailq lists $id" "^${id:-none}\\b" in_chroot mailq
    before_pid=$(daemon_pid | head -n 1)
    touch "$mark"
    sleep 1
    build "$V2" POSTERN_SKIP_MVN=1 || return 1
    deb=${DEB##*/}
    cp "$DEB" "$ROOT/tmp/$deb" && chmod 0644 "$ROOT/tmp/$deb"
    check "apt-get install ./$deb (upgrade)" \
        bounded 600 "$STATE/install-$V2.log" in_chroot apt-get install -y -q \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "/tmp/$deb" ||
        return 1
    check_eq "dpkg-query -W postern says $V2" "postern	$V2" in_chroot dpkg-query -W postern
    check_match "the held message survived: mailq lists $id" "^${id:-none}\\b" in_chroot mailq
    check "its queue file is still in hold/" \
        test -n "$(find "$ROOT/var/spool/postern/hold" -name "${id:-none}" 2> /dev/null)"
    check "the class-data archive was rebuilt for the new jars" cds_ok "$mark"
    check "postern status: the service runs again" in_chroot postern status
    wait_for 20 smtp_banner_ok
    check_service_processes "after the upgrade"
    check "the daemon was restarted (a new process)" daemon_restarted "$before_pid"
    # A Java package changing /usr/lib/jvm triggers a new archive for the Java now chosen.
    touch "$mark.trigger"
    sleep 1
    check "dpkg-trigger /usr/lib/jvm (as a Java package's unpack does)" \
        in_chroot dpkg-trigger --no-await /usr/lib/jvm
    check_match "postern has the trigger pending" '^triggers-pending$' \
        in_chroot dpkg-query -W -f '${db:Status-Status}\n' postern
    T=300 check "dpkg --triggers-only postern" in_chroot dpkg --triggers-only postern
    check "the trigger rebuilt the class-data archive" cds_ok "$mark.trigger"
    HELD_ID=$id
    return 0
}

phase_remove() {
    local sum_before
    save_log
    sum_before=$(sha256sum < "$ROOT/var/mail/alice")
    check "apt-get remove -y postern" \
        bounded 300 "$STATE/remove.log" in_chroot apt-get remove -y -q postern
    check_eq "postern is removed, its configuration kept" "deinstall ok config-files" \
        in_chroot dpkg-query -W -f '${Status}' postern
    check "no Postern process runs after the removal" no_postern_process
    check_eq "/var/mail/alice is untouched by the removal" "$sum_before" mailbox_sum alice
    check "/var/spool/postern is kept" test -d "$ROOT/var/spool/postern"
    check "the held message is kept" \
        test -n "$(find "$ROOT/var/spool/postern/hold" -name "${HELD_ID:-none}" 2> /dev/null)"
    check "/etc/postern/main.cf is kept" test -f "$ROOT/etc/postern/main.cf"
    # Installed again after a removal: the units must not stay masked (postrm masks them).
    check "apt-get install ./${DEB##*/} again after the removal" \
        bounded 300 "$STATE/reinstall.log" in_chroot apt-get install -y -q \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "/tmp/${DEB##*/}"
    check "after the reinstallation postern.service and postern-local.service are not masked" \
        units_not_masked
    check "the held message is still queued: mailq lists $HELD_ID" \
        mailq_lists "${HELD_ID:-none}"
    check "the reinstallation started Postern (invoke-rc.d)" in_chroot postern status
    check "apt-get remove -y postern (again)" \
        bounded 300 "$STATE/remove2.log" in_chroot apt-get remove -y -q postern
    check "apt-get purge -y postern" \
        bounded 300 "$STATE/purge.log" in_chroot apt-get purge -y -q postern
    check "postern is gone from dpkg's database" postern_not_in_dpkg
    check "/etc/postern is gone" test ! -e "$ROOT/etc/postern"
    check "/var/spool/postern is gone" test ! -e "$ROOT/var/spool/postern"
    check "/var/log/postern.log is gone" test ! -e "$ROOT/var/log/postern.log"
    check "no postern unit link is left in /etc/systemd/system" no_unit_links
    check "no /etc/rc?.d link is left (update-rc.d remove)" no_rc_links
    check "/etc/init.d/postern is gone" test ! -e "$ROOT/etc/init.d/postern"
    check "/usr/share/postern is gone (no class-data archive left behind)" \
        test ! -e "$ROOT/usr/share/postern"
    check_eq "/var/mail/alice is untouched by the purge" "$sum_before" mailbox_sum alice
    check "/var/mail/bob and /var/mail/root are kept" \
        test -f "$ROOT/var/mail/bob" -a -f "$ROOT/var/mail/root"
    return 0
}

# =======================================================================================
# main
# =======================================================================================

main() {
    local t0=$SECONDS pass fail rc
    [ "$(id -u)" -eq 0 ] || { echo "deb-install.sh: run as root" >&2; exit 77; }
    mkdir -p /var/tmp
    STATE=$(mktemp -d /var/tmp/postern-deb-test.XXXXXX)
    ROOT=$STATE/root
    : > "$STATE/results"
    trap outer_cleanup EXIT
    trap 'exit 130' INT TERM
    # shellcheck disable=SC2015
    run_phase "host tools" phase_host_tools &&
        run_phase "build postern $V1" phase_build &&
        run_phase "chroot" phase_chroot &&
        {
            # The test proper, isolated; its results join ours through $STATE/results.
            timeout --kill-after=10 1800 unshare --net --mount --pid --uts --fork \
                --kill-child --mount-proc --propagation private \
                "$SELF" --isolated "$STATE" "$DEB"
            rc=$?
            [ "$rc" -eq 0 ] || [ "$(grep -c '^not ok' "$STATE/results")" -gt 0 ] ||
                report 1 "the isolated part ended with status $rc"
        }
    pass=$(grep -c '^ok' "$STATE/results")
    fail=$(grep -c '^not ok' "$STATE/results")
    note "total: $((SECONDS - t0)) s"
    echo "deb install: $pass passed, $fail failed"
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
    DEB=$3
    isolated_main
    ;;
*)
    main
    ;;
esac
