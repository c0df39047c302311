#!/usr/bin/env bats
# A smarthost that wants a login: relayhost with smtp_sasl_auth_enable, the login from
# Postfix's sasl_passwd or sendmail's authinfo, against aiosmtpd on loopback
# (tests/helpers/auth_smtpd.py) with a test certificate: STARTTLS then AUTH, implicit TLS on a
# 465-style port, wrong passwords, servers without AUTH or without TLS, and credentials kept
# out of logs, transcripts and postern config.

load helpers/common
load helpers/smarthost

setup_file() {
    common_setup_file
    smarthost_certificate
}

setup() {
    common_setup
    SPORT=$(free_port)
    RECORD=$BATS_TEST_TMPDIR/record
    set_param relayhost "[127.0.0.1]:$SPORT"
    set_param smtp_sasl_auth_enable yes
    set_param smtp_sasl_password_maps "hash:$INST/sasl_passwd"
    set_param smtp_tls_security_level encrypt
    printf '[127.0.0.1]:%s me@example.org:s3cr:et\n' "$SPORT" > "$INST/sasl_passwd"
    "$BIN/postmap" "hash:$INST/sasl_passwd"
}

teardown() {
    smarthost_stop
}


send_one() {
    printf 'Subject: via the smarthost\n\nhello\n' > "$MSG"
    sm -f alice@example.org bob@far.test < "$MSG"
    run flush
}

@test "mail through a relayhost that requires STARTTLS and AUTH arrives with the login of sasl_passwd" {
    smarthost me@example.org 's3cr:et'
    send_one
    run cat "$RECORD"
    assert_output "auth PLAIN me@example.org s3cr:et ok
mail alice@example.org me@example.org bob@far.test"
    grep -qE "to=<bob@far.test>, relay=127.0.0.1\[127.0.0.1\]:$SPORT, .*status=sent \(250 2.0.0 Ok: queued\)" "$INST/log/maillog"
    ! grep -q 's3cr' "$INST/log/maillog"
}

@test "a wrong password defers in Postfix's words, in the log and in mailq, and the mail waits" {
    smarthost me@example.org other
    send_one
    # The submission's own run and the flush each try once; neither sends the mail.
    run cat "$RECORD"
    assert_line "auth PLAIN me@example.org s3cr:et refused"
    refute_line --partial ' ok'
    refute_line --partial 'mail '
    grep -qE "to=<bob@far.test>, relay=127.0.0.1\[127.0.0.1\]:$SPORT, .*dsn=4.7.8, status=deferred \(SASL authentication failed; server 127.0.0.1\[127.0.0.1\] said: 535 5.7.8 Authentication credentials invalid\)" "$INST/log/maillog"
    run mq
    assert_output --partial '(Deferred: SASL authentication failed; server 127.0.0.1[127.0.0.1] said: 535 5.7.8 Authentication credentials invalid)'
    assert_output --partial 'bob@far.test'
}

@test "implicit TLS (smtp_tls_wrappermode) to a 465-style port: handshake first, then the login" {
    smarthost me@example.org 's3cr:et' --implicit
    set_param smtp_tls_wrappermode yes
    send_one
    run cat "$RECORD"
    assert_output "auth PLAIN me@example.org s3cr:et ok
mail alice@example.org me@example.org bob@far.test"
    grep -qE "TLS connection established to 127.0.0.1\[127.0.0.1\]:$SPORT: TLSv1.3" "$INST/log/maillog"
}

@test "implicit TLS for one destination only: wrappermode=yes in its smtp_tls_policy_maps entry" {
    smarthost me@example.org 's3cr:et' --implicit
    set_param smtp_tls_security_level may
    set_param smtp_tls_policy_maps "hash:$INST/tls_policy"
    printf '[127.0.0.1]:%s encrypt wrappermode=yes\n' "$SPORT" > "$INST/tls_policy"
    "$BIN/postmap" "hash:$INST/tls_policy"
    send_one
    run cat "$RECORD"
    assert_output "auth PLAIN me@example.org s3cr:et ok
mail alice@example.org me@example.org bob@far.test"
}

@test "a server that does not offer AUTH gets no password and takes the mail" {
    smarthost me@example.org 's3cr:et' --no-auth
    set_param smtp_tls_security_level may
    send_one
    run cat "$RECORD"
    assert_output "mail alice@example.org - bob@far.test"
}

@test "a server offering AUTH without TLS gets no password under the default security options" {
    smarthost me@example.org 's3cr:et' --no-tls
    set_param smtp_tls_security_level may
    send_one
    [ ! -s "$RECORD" ]
    grep -qE "to=<bob@far.test>, relay=none, .*dsn=4.7.0, status=deferred \(SASL authentication failed; cannot authenticate to server 127.0.0.1\[127.0.0.1\]: no mechanism available \(offered: PLAIN LOGIN, without TLS; smtp_sasl_security_options = noanonymous, noplaintext\)\)" "$INST/log/maillog"
}

@test "sendmail -v shows the dialogue with the AUTH response as ****" {
    smarthost me@example.org 's3cr:et'
    printf 'Subject: verbose\n\nx\n' > "$MSG"
    run sm -v -f alice@example.org bob@far.test < "$MSG"
    assert_success
    assert_line '>>> AUTH PLAIN ****'
    assert_line --regexp '^235 '
    refute_output --partial 's3cr'
    refute_output --partial "$(printf '\0me@example.org\0s3cr:et' | base64)"
}

@test "postern config names the password table, never a password" {
    run pc config smtp_sasl_password_maps smtp_sasl_auth_enable
    assert_success
    assert_output "hash:$INST/sasl_passwd
yes"
    run pc config
    assert_success
    refute_output --partial 's3cr'
    assert_line "smtp_sasl_security_options = noplaintext, noanonymous"
}

@test "sendmail's authinfo file works unchanged as authinfo:, built by makemap hash" {
    smarthost me 'pass word'
    set_param smtp_sasl_password_maps "authinfo:$INST/authinfo"
    printf '# sendmail client logins\nAuthInfo:127.0.0.1 "U:me" "P:pass word" "M:PLAIN LOGIN"\nAuthInfo: "U:nobody" "P:x"\n' \
        > "$INST/authinfo"
    "$BIN/makemap" hash "$INST/authinfo" < "$INST/authinfo"
    send_one
    run cat "$RECORD"
    assert_output "auth PLAIN me pass word ok
mail alice@example.org me bob@far.test"
}

@test "postmap names FILE and line of a bad authinfo entry and builds nothing; a sasl_passwd line without password is warned about" {
    printf 'AuthInfo:a.example "U:me" "P:x"\nAuthInfo:b.example "U:me"\n' > "$INST/authinfo"
    run "$BIN/postmap" "authinfo:$INST/authinfo"
    assert_failure 1
    assert_output "postmap: fatal: $INST/authinfo, line 2: missing \"P:password\""
    [ ! -e "$INST/authinfo.db" ]
    printf 'smtp.example.com\n' > "$INST/sasl_passwd"
    run "$BIN/postmap" "hash:$INST/sasl_passwd"
    assert_output "postmap: warning: $INST/sasl_passwd, line 1: expected format: key whitespace value"
}
