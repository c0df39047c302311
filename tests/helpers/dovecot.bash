# Shared by the suites that read what Postern delivers through a real Dovecot (tests/lmtp.bats,
# tests/local-stores.bats): the private configuration of a Dovecot run by the invoking user.

# dovecot_conf DIR PROTOCOLS LOCATION: writes DIR/dovecot.conf for a Dovecot whose run and
# state directories are under DIR, whose users come from DIR/users (passwd-file), serving
# PROTOCOLS (empty: doveadm only) with mail_location LOCATION, without SSL; the settings on
# stdin (listeners, auth_username_format) are appended.
dovecot_conf() {
    local dir=$1
    mkdir -p "$dir/run" "$dir/state"
    {
        cat <<CONF
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
default_internal_user = $(id -un)
default_internal_group = $(id -gn)
default_login_user = $(id -un)
first_valid_uid = 1
ssl = no
protocols = $2
mail_location = $3
passdb {
  driver = passwd-file
  args = $dir/users
}
userdb {
  driver = passwd-file
  args = $dir/users
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
CONF
        cat
    } > "$dir/dovecot.conf"
}
