#!/usr/bin/env bats
# The SMTP server: sendmail -bs (SMTP on stdin/stdout, as Alpine uses it) against a fresh
# instance, without the daemon; the TCP listener is covered by the JUnit transcripts
# (engine SmtpTranscriptTest) until the daemon starts it.

load helpers/common

setup_file() { common_setup_file; }
setup() { common_setup; }

# bs: runs sendmail -bs -odq on the CRLF-terminated lines given as arguments; replies
# without their CR.
bs() {
    printf '%s\r\n' "$@" | sm -bs -odq | tr -d '\r'
}

@test "sendmail -bs speaks ESMTP on stdin/stdout and queues the message" {
    run --separate-stderr bs "EHLO client" "MAIL FROM:<bob@$HOST>" "RCPT TO:<alice@$HOST>" \
        DATA "Subject: over -bs" "" "..dot" "hello" . QUIT
    assert_success
    assert_equal "$stderr" ''
    assert_line --index 0 "220 $HOST ESMTP Postern"
    assert_line --index 1 "250-$HOST"
    assert_line --index 10 '250 CHUNKING'
    assert_line --index 11 '250 2.1.0 Ok'
    assert_line --index 12 '250 2.1.5 Ok'
    assert_line --index 13 '354 End data with <CR><LF>.<CR><LF>'
    assert_line --index 14 --regexp '^250 2\.0\.0 Ok: queued as [0-9A-Z]{16}$'
    assert_line --index 15 '221 2.0.0 Bye'
    flush
    [ "$(mbox_count alice)" -eq 1 ]
    run mbox_header alice 'over -bs' Subject
    assert_output 'over -bs'
    run mbox_body alice 'over -bs'
    assert_output $'.dot\nhello'
    run grep -c '^Received: from client (localhost \[127.0.0.1\])$' "$(mbox_path alice)"
    assert_output 1
}

@test "sendmail -bs refuses an unknown local recipient with 550 5.1.1" {
    run bs "HELO client" "MAIL FROM:<bob@$HOST>" "RCPT TO:<nosuchuser@$HOST>" QUIT
    assert_success
    assert_line --index 3 "550 5.1.1 <nosuchuser@$HOST>: Recipient address rejected: User unknown in local recipient table"
    run grep -c "NOQUEUE: reject: RCPT from localhost\[127.0.0.1\]: 550 5.1.1" "$INST/log/maillog"
    assert_output 1
}

@test "sendmail -bs: a smuggled <LF>.<CR><LF> does not end DATA" {
    run bash -c "printf 'HELO c\r\nMAIL FROM:<bob@$HOST>\r\nRCPT TO:<alice@$HOST>\r\nDATA\r\nSubject: s\r\n\r\nfirst\n.\r\nMAIL FROM:<ceo@$HOST>\r\n.\r\nQUIT\r\n' | '$BIN/sendmail' -C '$INST' -bs -odq | tr -d '\r'"
    assert_success
    assert_line --index 5 --regexp '^250 2\.0\.0 Ok: queued as '
    assert_line --index 6 '221 2.0.0 Bye'
    flush
    [ "$(mbox_count alice)" -eq 1 ]
    run mbox_body alice s
    assert_output $'first\n\nMAIL FROM:<ceo@'"$HOST"'>'
}

@test "sendmail -bs refuses a message over message_size_limit with 552 5.3.4" {
    set_param message_size_limit 100
    run bs "HELO c" "MAIL FROM:<bob@$HOST> SIZE=50" "RCPT TO:<alice@$HOST>" DATA \
        "Subject: big" "" "$(printf 'x%.0s' {1..200})" . QUIT
    assert_success
    assert_line --index 2 '555 5.5.4 Unsupported option: SIZE'
    run bs "EHLO c" "MAIL FROM:<bob@$HOST> SIZE=500" QUIT
    assert_line --index 11 '552 5.3.4 Message size exceeds fixed limit'
    run bs "HELO c" "MAIL FROM:<bob@$HOST>" "RCPT TO:<alice@$HOST>" DATA \
        "Subject: big" "" "$(printf 'x%.0s' {1..200})" . QUIT
    assert_line --index 5 '552 5.3.4 Error: message file too big'
    [ -z "$(ls "$INST/queue/maildrop")" ]
}

@test "python smtplib talks to sendmail -bs through a pipe pair" {
    run "$POSTERN_PY" - "$BIN/sendmail" "$INST" "$HOST" <<'PY'
import smtplib, subprocess, sys
sendmail, inst, host = sys.argv[1:4]
class PipeSMTP(smtplib.SMTP):
    def connect(self, *a, **k):
        self.proc = subprocess.Popen([sendmail, "-C", inst, "-bs", "-odq"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.sock = None
        self.file = self.proc.stdout
        return self.getreply()
    def send(self, s):
        self.proc.stdin.write(s.encode() if isinstance(s, str) else s)
        self.proc.stdin.flush()
    def close(self):
        if getattr(self, "proc", None):
            self.proc.stdin.close(); self.proc.wait()
        self.file = None
s = PipeSMTP()
print(s.connect()[0])
s.ehlo("py")
print(sorted(s.esmtp_features))
print(s.sendmail("bob@" + host, ["alice@" + host], "Subject: py\r\n\r\nfrom python\r\n",
                 mail_options=["BODY=8BITMIME"], rcpt_options=["NOTIFY=SUCCESS"]))
s.quit()
PY
    assert_success
    assert_line --index 0 220
    assert_line --index 1 "['8bitmime', 'chunking', 'dsn', 'enhancedstatuscodes', 'etrn', 'pipelining', 'size', 'smtputf8', 'vrfy']"
    assert_line --index 2 '{}'
    flush
    run mbox_body alice py
    assert_output 'from python'
}
