#!/usr/bin/env bats
# postern migrate --from sendmail: a Debian sendmail's sendmail.mc (smart host with an
# authinfo login, masquerading, two local domains, procmail) or, without it, the frozen
# sendmail.cf (tests/fixtures/migrate/sendmail*), carried into main.cf with the report; then
# a migrated instance sends through a smart host (aiosmtpd, tests/helpers/auth_smtpd.py)
# with sendmail's login and the masqueraded sender.

load helpers/common
load helpers/smarthost

FIXTURES=$BATS_TEST_DIRNAME/fixtures/migrate

setup_file() {
    common_setup_file
    smarthost_certificate
}

setup() {
    common_setup
    OLD=$BATS_TEST_TMPDIR/old
    mkdir -p "$OLD"
}

teardown() {
    smarthost_stop
}

@test "migrate --dry-run from sendmail.mc prints main.cf and the report, writes nothing, shows no password" {
    cp -r "$FIXTURES/sendmail/." "$OLD/"
    run "$BIN/postern" migrate --from sendmail --root "$OLD" --dry-run
    assert_success
    assert_line "relayhost = [smtp.example.net]:587"
    assert_line "smtp_sasl_password_maps = authinfo:$OLD/etc/postern/authinfo"
    assert_line "mydestination = \$myhostname, localhost.\$mydomain, example.com, example.org, localhost"
    assert_line "smtpd_listen = 127.0.0.1:25, 127.0.0.1:587"
    assert_line '  /etc/mail/sendmail.mc:25 -> mailbox_command = /usr/bin/procmail -a "$EXTENSION" -d "$USER"'
    assert_line "  /etc/mail/sendmail.mc:23 -> masquerade_classes = envelope_sender, header_sender"
    assert_line "  /etc/mail/sendmail.mc:22 FEATURE(greet_pause): the greeting is not delayed; clients that talk before it are cut off by smtpd_forbid_unauth_pipelining"
    assert_line "  /etc/mail/sendmail.mc:12 M=a on 127.0.0.1:587: Postern's server has no SMTP AUTH: clients cannot log in, and relay only from mynetworks; port 587 requires STARTTLS (Postern's default)"
    refute_output --partial fixture-secret
    [ ! -e "$OLD/etc/postern" ]
}

@test "migrate from sendmail.mc writes main.cf and authinfo as a 0640 table; a second run changes nothing" {
    cp -r "$FIXTURES/sendmail/." "$OLD/"
    run "$BIN/postern" migrate --from sendmail --root "$OLD"
    assert_success
    first=$output
    refute_output --partial fixture-secret
    assert_line "table $OLD/etc/postern/authinfo from /etc/mail/authinfo (secret: mode 0640, contents not shown)"
    [ "$(stat -c %a "$OLD/etc/postern/authinfo")" = 640 ]
    run "$BIN/postmap" -q AuthInfo:smtp.example.net "authinfo:$OLD/etc/postern/authinfo"
    assert_output '"U:relayuser" "P:fixture-secret" "M:PLAIN"'
    cp "$OLD/etc/postern/main.cf" "$BATS_TEST_TMPDIR/main.cf.first"
    run "$BIN/postern" migrate --from sendmail --root "$OLD"
    assert_success
    [ "$output" = "$first" ]
    cmp "$OLD/etc/postern/main.cf" "$BATS_TEST_TMPDIR/main.cf.first"
}

@test "migrate from a frozen sendmail.cf alone carries the essentials and asks for a look at the rest" {
    cp -r "$FIXTURES/sendmail.cf/." "$OLD/"
    run "$BIN/postern" migrate --from sendmail --root "$OLD" --dry-run
    assert_success
    assert_line "  /etc/mail/sendmail.cf:2 -> myhostname = mx.example.com"
    assert_line "  /etc/mail/sendmail.cf:3 -> relayhost = [smtp.example.net]"
    assert_line "  /etc/mail/sendmail.cf:4 -> myorigin = example.com"
    assert_line "  /etc/mail/sendmail.cf:9 -> smtpd_listen = 127.0.0.1:25"
    assert_line "  /etc/mail/sendmail.cf:8 -> message_size_limit = 5000000"
    assert_line '  /etc/mail/sendmail.cf:11 -> mailbox_command = /usr/bin/procmail -Y -a "$EXTENSION" -d "$USER"'
    assert_line "  /etc/mail/sendmail.cf no sendmail.mc: only the essentials of the frozen sendmail.cf were read (rules, masquerading features and most options were not): compare by hand"
}

@test "an instance with the migrated settings sends through sendmail's smart host with its authinfo login, and masquerades senders of its local domains" {
    SPORT=$(free_port)
    RECORD=$BATS_TEST_TMPDIR/record
    mkdir -p "$OLD/etc/mail"
    cat > "$OLD/etc/mail/sendmail.mc" <<MC
include(\`/usr/share/sendmail/cf/m4/cf.m4')dnl
define(\`SMART_HOST', \`[127.0.0.1]')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $SPORT')dnl
FEATURE(\`authinfo')dnl
MASQUERADE_AS(\`example.com')dnl
FEATURE(\`masquerade_envelope')dnl
FEATURE(\`use_cw_file')dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
MC
    printf 'AuthInfo:127.0.0.1 "U:me" "P:pass word" "M:PLAIN"\n' > "$OLD/etc/mail/authinfo"
    printf 'old.test\n' > "$OLD/etc/mail/local-host-names"
    # OLD/etc/postern is a test instance first: its own settings (paths, users) are kept.
    "$BIN/postern" init "$OLD/etc/postern" --user alice > /dev/null
    run "$BIN/postern" migrate --from sendmail --root "$OLD"
    assert_success
    assert_line "  /etc/mail/sendmail.mc:2 -> relayhost = [127.0.0.1]:$SPORT"
    run "$BIN/postern" -C "$OLD/etc/postern" check
    assert_success
    smarthost me 'pass word'
    printf 'From: alice\nSubject: via the smart host\n\nhello\n' > "$MSG"
    "$BIN/sendmail" -C "$OLD/etc/postern" -f alice bob@far.test < "$MSG"
    "$BIN/sendmail" -C "$OLD/etc/postern" -q
    run cat "$RECORD"
    assert_output "auth PLAIN me pass word ok
mail alice@example.com me bob@far.test"
    # A sender of a local domain (class w) gets the masquerade too, as sendmail gave it.
    printf 'From: Alice <alice@old.test>\nSubject: local\n\nhi\n' > "$MSG"
    "$BIN/sendmail" -C "$OLD/etc/postern" -f alice@old.test alice@old.test < "$MSG"
    "$BIN/sendmail" -C "$OLD/etc/postern" -q
    run mbox_py header "$OLD/etc/postern/mail/alice" local From
    assert_output "Alice <alice@example.com>"
    run mbox_py envelope "$OLD/etc/postern/mail/alice" local
    assert_output --partial "alice@example.com "
}
