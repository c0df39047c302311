# Shared by the suites that relay through a smarthost wanting TLS and a login
# (tests/smtp-auth.bats, tests/migrate.bats, tests/migrate-sendmail.bats): aiosmtpd on
# loopback (tests/helpers/auth_smtpd.py) with a test certificate.

# smarthost_certificate: the self-signed certificate and key (setup_file), in BATS_FILE_TMPDIR.
smarthost_certificate() {
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=smarthost.test \
        -keyout "$BATS_FILE_TMPDIR/key.pem" -out "$BATS_FILE_TMPDIR/cert.pem" 2> /dev/null
}

# smarthost USER PASSWORD [--implicit|--no-tls|--no-auth]: the smarthost on SPORT (a free port
# unless set) wanting STARTTLS and this login; what it saw goes to RECORD
# ($BATS_TEST_TMPDIR/record unless set). Returns once it listens.
smarthost() {
    : "${SPORT:=$(free_port)}" "${RECORD:=$BATS_TEST_TMPDIR/record}"
    /usr/bin/python3 "$BATS_TEST_DIRNAME/helpers/auth_smtpd.py" "$SPORT" \
        "$BATS_FILE_TMPDIR/cert.pem" "$BATS_FILE_TMPDIR/key.pem" "$1" "$2" "$RECORD" "${@:3}" \
        > "$BATS_TEST_TMPDIR/smarthost.log" 2>&1 &
    SMARTHOST_PID=$!
    wait_for 10 test -e "$RECORD.ready"
}

# smarthost_stop: ends the test's smarthost, if it started one (teardown).
smarthost_stop() { [ -z "${SMARTHOST_PID:-}" ] || kill "$SMARTHOST_PID" 2> /dev/null || true; }
