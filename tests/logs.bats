#!/usr/bin/env bats
# The mail log in Postfix's shape, read by the tools admins already run on it: Debian's
# pflogsumm (with --syslog-name=postern) must count what was received, delivered and
# bounced exactly.

load helpers/common

setup_file() { common_setup_file; }
setup() { common_setup; }

@test "pflogsumm reports received, delivered and bounced messages from our log" {
    command -v pflogsumm > /dev/null || skip "pflogsumm is not installed (tests/run installs it)"
    printf 'gone: error:5.1.1:550 this one left\n' >> "$INST/aliases"
    "$BIN/newaliases" -C "$INST" > /dev/null
    for i in 1 2 3; do
        printf 'Subject: m%s\n\nx\n' "$i" | sm -odq -f alice alice bob
    done
    printf 'Subject: to gone\n\nx\n' | sm -odq -f alice gone
    flush
    # The delivery lines carry every field pflogsumm and Postfix log readers expect.
    grep -qE 'postern/local\[[0-9]+\]: [0-9A-Z]{16}: to=<alice@[^>]+>, relay=local, delay=[0-9.]+, delays=[0-9.]+/0/0/[0-9.]+, dsn=2\.0\.0, status=sent \(delivered to mailbox\)$' "$INST/log/maillog"
    run pflogsumm --syslog-name=postern "$INST/log/maillog"
    assert_success
    # 4 submitted (the bounce notice is not "received", as with Postfix); 6 + 1 notice
    # delivered; the alias's failure counted once.
    assert_line --regexp '^ +4 +received$'
    assert_line --regexp '^ +7 +delivered$'
    assert_line --regexp '^ +1 +bounced$'
    assert_line --regexp '^ +0 +deferred$'
}

@test "with syslog_name = postfix, fail2ban's stock postfix filter matches our SMTP reject lines" {
    command -v fail2ban-regex > /dev/null || skip "fail2ban is not installed (tests/run installs it)"
    local port
    port=$(free_port)
    set_param syslog_name postfix
    set_param smtpd_listen "127.0.0.1:$port"
    set_param smtpd_peername_lookup no
    set_param mynetworks 10.9.9.0/24
    set_param accept_unresolvable_domains yes
    "$BIN/postern" -C "$INST" start 2> /dev/null
    python3 - "$port" <<'PY'
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30)
s.ehlo("spammer.example")
for victim in ("a@elsewhere.example", "b@elsewhere.example"):
    try:
        s.sendmail("x@example.com", [victim], "Subject: x\r\n\r\nx\r\n")
    except smtplib.SMTPRecipientsRefused:
        pass
s.quit()
PY
    "$BIN/postern" -C "$INST" stop 2> /dev/null
    grep -q 'postfix/smtpd\[[0-9]*\]: NOQUEUE: reject: RCPT from unknown\[127.0.0.1\]: 554 5.7.1' "$INST/log/maillog"
    run fail2ban-regex "$INST/log/maillog" /etc/fail2ban/filter.d/postfix.conf
    assert_success
    assert_output --regexp 'Lines: [0-9]+ lines, [0-9]+ ignored, 2 matched'
}
