#!/usr/bin/env bats
# postern migrate (issue 18): an old MTA's configuration under --root DIR (the fixture trees
# in tests/fixtures/migrate, as Debian's Postfix and Exim leave them) carried into
# DIR/etc/postern, then read by postern check, postern config, postmap and sendmail -bv.
# Each test first makes DIR/etc/postern an instance (postern init), whose settings are the
# administrator's and are kept, so the result runs as an ordinary user.

load helpers/common
load helpers/smarthost

setup_file() {
    common_setup_file
    smarthost_certificate
}

setup() {
    ROOT=$BATS_TEST_TMPDIR/root
    mkdir -p "$ROOT"
}

teardown() {
    smarthost_stop
}


# send_through: alice's mail to a remote address, submitted and flushed on the instance.
send_through() {
    printf 'Subject: t\n\nhi\n' | "$BIN/sendmail" -C "$ROOT/etc/postern" -f alice@example.org someone@remote.example
    "$BIN/sendmail" -C "$ROOT/etc/postern" -q
}

# old_mta NAME: copies the fixture tree of NAME under ROOT.
old_mta() { cp -a "$POSTERN_ROOT/tests/fixtures/migrate/$1/." "$ROOT/"; }

# instance: ROOT/etc/postern as a test instance with the local user alice.
instance() { "$BIN/postern" init "$ROOT/etc/postern" --user alice >/dev/null; }

mig() { "$BIN/postern" migrate --root "$ROOT" "$@"; }
cfg() { "$BIN/postern" -C "$ROOT/etc/postern" config "$@"; }

@test "postern migrate --dry-run prints main.cf and the report and writes nothing" {
    old_mta postfix
    run -0 mig --dry-run
    assert_line --index 0 --regexp '^# --- postern migrate from postfix \([0-9-]+\): do not edit'
    assert_line "relayhost = [smarthost.example.net]:587"
    assert_line "  /etc/postfix/main.cf:28 -> relayhost = [smarthost.example.net]:587"
    [ ! -e "$ROOT/etc/postern" ]
}

@test "postern migrate carries a Postfix smarthost with its login into an instance postern check accepts" {
    old_mta postfix
    instance
    run -0 mig
    assert_line "  /etc/postfix/main.cf:30 -> smtp_sasl_password_maps = hash:$ROOT/etc/postern/sasl_passwd"
    assert_line "table $ROOT/etc/postern/sasl_passwd from /etc/postfix/sasl_passwd (secret: mode 0640, contents not shown)"
    refute_output --partial S3cretPass
    run -0 "$BIN/postern" -C "$ROOT/etc/postern" check
    run -0 cfg relayhost smtp_tls_security_level smtp_sasl_auth_enable
    assert_output $'[smarthost.example.net]:587\nencrypt\nyes'
    run -0 "$BIN/postmap" -q "[smarthost.example.net]:587" "hash:$ROOT/etc/postern/sasl_passwd"
    assert_output "relayuser:S3cretPass"
    [ "$(stat -c %a "$ROOT/etc/postern/sasl_passwd.db")" = 640 ]
}

@test "postern migrate keeps the instance's own settings and names them in the report" {
    old_mta postfix
    instance
    run -0 mig
    assert_line --regexp "^  $ROOT/etc/postern/main.cf:[0-9]+ smtpd_listen = \(/etc/postfix/master.cf:8, /etc/postfix/master.cf:10 \+ /etc/postfix/main.cf:38 gives 25, 587\)$"
    run -0 cfg smtpd_listen message_size_limit
    assert_output $'\n20480000'
}

@test "postern migrate: Postfix's virtual_alias_maps answer as virtusertable, its access table as access_map" {
    old_mta postfix
    instance
    run -0 mig
    run -0 "$BIN/sendmail" -C "$ROOT/etc/postern" -bv info@virtual.example
    assert_output "info@virtual.example... virtusertable $ROOT/etc/postern/virtual:1 -> alice
alice... deliverable: mailer local, user alice"
    run -0 "$BIN/postmap" -q From:bad.example "hash:$ROOT/etc/postern/access"
    assert_output "ERROR:5.7.1:550 No mail from you"
}

@test "postern migrate reports what Postfix did that Postern does not" {
    old_mta postfix
    run -0 mig --dry-run
    assert_line "  /etc/postfix/main.cf:41 header_checks = regexp:/etc/postfix/header_checks: no Postern equivalent: not used"
    assert_line --partial "/etc/postfix/master.cf:10 -o smtpd_sasl_auth_enable=yes (port 587): Postern's SMTP server offers no AUTH"
}

@test "a second postern migrate leaves main.cf as it was" {
    old_mta postfix
    instance
    run -0 mig
    cp "$ROOT/etc/postern/main.cf" "$BATS_TEST_TMPDIR/first"
    run -0 mig
    cmp "$BATS_TEST_TMPDIR/first" "$ROOT/etc/postern/main.cf"
    [ "$(grep -c '^# --- postern migrate from' "$ROOT/etc/postern/main.cf")" = 1 ]
}

@test "postern migrate carries Debian's Exim smarthost and passwd.client login, never printing the password" {
    old_mta exim
    instance
    run -0 mig
    refute_output --partial S3cret
    assert_line "  /etc/exim4/update-exim4.conf.conf:13 -> relayhost = [smarthost.example.net]:587"
    run -0 "$BIN/postern" -C "$ROOT/etc/postern" check
    run -0 cfg relayhost myorigin home_mailbox
    assert_output $'[smarthost.example.net]:587\nexample.org\nMaildir/'
    run -0 "$BIN/postmap" -q "[smarthost.example.net]:587" "hash:$ROOT/etc/postern/sasl_passwd"
    assert_output "relayuser:S3cret:Pass"
}

@test "postern migrate with several old MTAs and no --from is a usage error naming them" {
    old_mta postfix
    old_mta exim
    run -64 --separate-stderr mig
    assert_equal "$stderr" "postern: migrate: configurations of several MTAs under $ROOT: postfix, exim (choose one with --from)
usage: postern migrate [--from sendmail|postfix|exim] [--root DIR] [--dry-run]"
    run -0 mig --from exim --dry-run
}

@test "postern migrate without an old MTA has nothing to do" {
    run -0 mig
    assert_output "postern migrate: no sendmail, postfix or exim configuration under $ROOT: nothing to do"
}

@test "after postern migrate from a Postfix satellite, mail reaches its smarthost with the login of sasl_passwd" {
    smarthost me@example.org 's3cr:et'
    mkdir -p "$ROOT/etc/postfix"
    printf '%s\n' "relayhost = [127.0.0.1]:$SPORT" "smtp_sasl_auth_enable = yes" \
        'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd' \
        'smtp_sasl_security_options = noanonymous' 'smtp_tls_security_level = encrypt' \
        'inet_interfaces = loopback-only' > "$ROOT/etc/postfix/main.cf"
    printf '[127.0.0.1]:%s me@example.org:s3cr:et\n' "$SPORT" > "$ROOT/etc/postfix/sasl_passwd"
    instance
    run -0 mig
    send_through
    run cat "$RECORD"
    assert_output "auth PLAIN me@example.org s3cr:et ok
mail alice@example.org me@example.org someone@remote.example"
}

@test "after postern migrate from an Exim smarthost, mail reaches it with the login of passwd.client" {
    smarthost me@example.org 's3cr:et'
    mkdir -p "$ROOT/etc/exim4"
    printf '%s\n' "dc_eximconfig_configtype='smarthost'" "dc_smarthost='127.0.0.1::$SPORT'" \
        "dc_local_interfaces='127.0.0.1'" > "$ROOT/etc/exim4/update-exim4.conf.conf"
    printf '*:me@example.org:s3cr:et\n' > "$ROOT/etc/exim4/passwd.client"
    instance
    run -0 mig
    send_through
    run cat "$RECORD"
    assert_output "auth PLAIN me@example.org s3cr:et ok
mail alice@example.org me@example.org someone@remote.example"
}
