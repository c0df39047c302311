package org.postern.engine.global;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every main.cf parameter Postern knows, named as Postfix names them where the concept is
 * the same. A name not listed here in main.cf is warned about (a likely typo).
 */
public final class Params {
  private Params() {}

  /** Directory every relative path below is resolved against. */
  public static final ConfigKey ROOT = new ConfigKey("root", "/");

  public static final ConfigKey MYHOSTNAME = new ConfigKey("myhostname", "");
  public static final ConfigKey MYDOMAIN = new ConfigKey("mydomain", "");
  public static final ConfigKey MYORIGIN = new ConfigKey("myorigin", "$myhostname");
  /** Whether cleanup appends @myorigin to unqualified addresses in local submissions' headers. */
  public static final ConfigKey APPEND_AT_MYORIGIN = new ConfigKey("append_at_myorigin", "yes");
  public static final ConfigKey MYDESTINATION =
      new ConfigKey("mydestination", "$myhostname, localhost.$mydomain, localhost");

  public static final ConfigKey QUEUE_DIRECTORY =
      new ConfigKey("queue_directory", "/var/spool/postern");
  public static final ConfigKey MAIL_SPOOL_DIRECTORY =
      new ConfigKey("mail_spool_directory", "/var/mail");
  public static final ConfigKey MAILLOG_FILE =
      new ConfigKey("maillog_file", "/var/log/postern.log");
  /** Also write debug-level lines (ignored options, protocol detail) to the log. */
  /**
   * The name before /PROGRAM in log lines (Postfix's parameter): {@code postfix} lets
   * fail2ban's and logwatch's stock Postfix rules read our log unchanged.
   */
  public static final ConfigKey SYSLOG_NAME = new ConfigKey("syslog_name", "postern");
  public static final ConfigKey MAILLOG_DEBUG = new ConfigKey("maillog_debug", "no");
  /** passwd(5) file of the instance's users; empty means NSS (getpwnam_r, in process). */
  public static final ConfigKey LOCAL_USERS_FILE = new ConfigKey("local_users_file", "");

  public static final ConfigKey ALIAS_MAPS = new ConfigKey("alias_maps", "hash:/etc/aliases");
  public static final ConfigKey ALIAS_DATABASE =
      new ConfigKey("alias_database", "hash:/etc/aliases");

  /** sendmail's access map (Connect:, From:, To: entries), compiled with postmap/makemap. */
  public static final ConfigKey ACCESS_MAP = new ConfigKey("access_map", "hash:/etc/mail/access");
  /** sendmail's virtusertable. */
  public static final ConfigKey VIRTUSERTABLE_MAP =
      new ConfigKey("virtusertable_map", "hash:/etc/mail/virtusertable");

  /** Address rewriting in cleanup and the SMTP client (Postfix's canonical(5), generic(5)). */
  public static final ConfigKey CANONICAL_MAPS = new ConfigKey("canonical_maps", "");
  public static final ConfigKey SENDER_CANONICAL_MAPS =
      new ConfigKey("sender_canonical_maps", "");
  public static final ConfigKey RECIPIENT_CANONICAL_MAPS =
      new ConfigKey("recipient_canonical_maps", "");
  public static final ConfigKey CANONICAL_CLASSES = new ConfigKey("canonical_classes",
      "envelope_sender, envelope_recipient, header_sender, header_recipient");
  public static final ConfigKey SENDER_CANONICAL_CLASSES =
      new ConfigKey("sender_canonical_classes", "envelope_sender, header_sender");
  public static final ConfigKey RECIPIENT_CANONICAL_CLASSES =
      new ConfigKey("recipient_canonical_classes", "envelope_recipient, header_recipient");
  /** Domains whose subdomains are stripped ({@code !domain}: left alone), first match wins. */
  public static final ConfigKey MASQUERADE_DOMAINS = new ConfigKey("masquerade_domains", "");
  /** Local parts never masqueraded (e.g. root). */
  public static final ConfigKey MASQUERADE_EXCEPTIONS =
      new ConfigKey("masquerade_exceptions", "");
  public static final ConfigKey MASQUERADE_CLASSES = new ConfigKey("masquerade_classes",
      "envelope_sender, header_sender, header_recipient");
  /** Where a table match on user@domain puts the unmatched +extension back: canonical, generic. */
  public static final ConfigKey PROPAGATE_UNMATCHED_EXTENSIONS =
      new ConfigKey("propagate_unmatched_extensions", "canonical, virtual");
  /** The SMTP client's rewrite of MAIL FROM, RCPT TO and headers (sendmail's genericstable). */
  public static final ConfigKey SMTP_GENERIC_MAPS = new ConfigKey("smtp_generic_maps", "");

  /** Clients trusted to relay (Postfix syntax: addresses and CIDR blocks, IPv6 in []). */
  public static final ConfigKey MYNETWORKS =
      new ConfigKey("mynetworks", "127.0.0.0/8 [::1]/128");
  /** Remote domains the SMTP server relays to for anyone (Postfix syntax; none by default). */
  public static final ConfigKey RELAY_DOMAINS = new ConfigKey("relay_domains", "");
  /** Refuse unknown recipients of our own domains at RCPT TO rather than bounce later. */
  public static final ConfigKey SMTPD_REJECT_UNLISTED_RECIPIENT =
      new ConfigKey("smtpd_reject_unlisted_recipient", "yes");

  /** Where local(8) looks for a user's forward file; the first one that exists is used. */
  public static final ConfigKey FORWARD_PATH =
      new ConfigKey("forward_path", "$home/.forward.$myhostname, $home/.forward");
  /** Sources whose |command members are obeyed: alias, forward, include. */
  public static final ConfigKey ALLOW_MAIL_TO_COMMANDS =
      new ConfigKey("allow_mail_to_commands", "alias, forward");
  /** Sources whose /file members are obeyed: alias, forward, include. */
  public static final ConfigKey ALLOW_MAIL_TO_FILES =
      new ConfigKey("allow_mail_to_files", "alias, forward");
  /** Longest a |command delivery may run (Postfix local(8)). */
  public static final ConfigKey COMMAND_TIME_LIMIT =
      new ConfigKey("command_time_limit", "1000s");
  /**
   * Mailbox delivery by a program run as the recipient (procmail, maildrop, dovecot-lda),
   * after .forward (Postfix local(8)); shell syntax, no $name expansion, as in Postfix.
   */
  public static final ConfigKey MAILBOX_COMMAND = new ConfigKey("mailbox_command", "");
  /** Parameters taken as written, without $name expansion (shell syntax), as in Postfix. */
  public static final Set<ConfigKey> UNEXPANDED = Set.of(MAILBOX_COMMAND);
  /** Per-user mailbox_command, looked up by user name; before mailbox_command. */
  public static final ConfigKey MAILBOX_COMMAND_MAPS = new ConfigKey("mailbox_command_maps", "");
  /** A mailbox relative to the home directory: {@code Mailbox} (mbox), {@code Maildir/}. */
  public static final ConfigKey HOME_MAILBOX = new ConfigKey("home_mailbox", "");

  public static final ConfigKey MAIL_OWNER = new ConfigKey("mail_owner", "postern");
  /**
   * yes: local deliveries go to the local delivery service ({@code postern local}, root's)
   * over $queue_directory/private/local; no: the queue runner delivers them itself.
   */
  public static final ConfigKey LOCAL_DELIVERY_SERVICE =
      new ConfigKey("local_delivery_service", "no");
  public static final ConfigKey DEFAULT_PRIVS = new ConfigKey("default_privs", "nobody");
  /** Users who may set the envelope sender with -f without an X-Authentication-Warning. */
  public static final ConfigKey TRUSTED_USERS =
      new ConfigKey("trusted_users", "root, $mail_owner");

  public static final ConfigKey MESSAGE_SIZE_LIMIT =
      new ConfigKey("message_size_limit", "10240000");
  public static final ConfigKey MAILBOX_SIZE_LIMIT = new ConfigKey("mailbox_size_limit", "0");
  public static final ConfigKey HOPCOUNT_LIMIT = new ConfigKey("hopcount_limit", "50");
  public static final ConfigKey RECIPIENT_DELIMITER = new ConfigKey("recipient_delimiter", "+");

  public static final ConfigKey DELIVER_LOCK_ATTEMPTS =
      new ConfigKey("deliver_lock_attempts", "20");
  public static final ConfigKey DELIVER_LOCK_DELAY = new ConfigKey("deliver_lock_delay", "1s");
  public static final ConfigKey STALE_LOCK_TIME = new ConfigKey("stale_lock_time", "500s");
  public static final ConfigKey STRICT_MAILBOX_OWNERSHIP =
      new ConfigKey("strict_mailbox_ownership", "yes");

  public static final ConfigKey MINIMAL_BACKOFF_TIME =
      new ConfigKey("minimal_backoff_time", "300s");
  public static final ConfigKey MAXIMAL_BACKOFF_TIME =
      new ConfigKey("maximal_backoff_time", "4000s");
  public static final ConfigKey MAXIMAL_QUEUE_LIFETIME =
      new ConfigKey("maximal_queue_lifetime", "5d");
  public static final ConfigKey BOUNCE_QUEUE_LIFETIME =
      new ConfigKey("bounce_queue_lifetime", "5d");
  /** How often the daemon runs the whole queue (deferred mail) when nothing wakes it. */
  public static final ConfigKey QUEUE_RUN_DELAY = new ConfigKey("queue_run_delay", "300s");
  public static final ConfigKey DELAY_WARNING_TIME = new ConfigKey("delay_warning_time", "4h");
  public static final ConfigKey BOUNCE_SIZE_LIMIT = new ConfigKey("bounce_size_limit", "50000");
  /** Local deliveries at once to one recipient (Postfix's default: 2). */
  public static final ConfigKey LOCAL_DESTINATION_CONCURRENCY_LIMIT =
      new ConfigKey("local_destination_concurrency_limit", "2");

  public static final ConfigKey SENDMAIL_NO_RECIPIENT_EXIT =
      new ConfigKey("sendmail_no_recipient_exit", "0");

  /** Layout of mailq / sendmail -bp: {@code sendmail} (sendmail 8) or {@code postfix}. */
  public static final ConfigKey MAILQ_FORMAT = new ConfigKey("mailq_format", "sendmail");
  /**
   * Who besides root and the mail owner may list the queue (Postfix's name):
   * {@code static:anyone}, {@code static:root} (= {@code static:noone}), or user names.
   */
  public static final ConfigKey AUTHORIZED_MAILQ_USERS =
      new ConfigKey("authorized_mailq_users", "static:anyone");

  /**
   * Where the SMTP server listens: {@code [address:]port} items ({@code [v6]:port} for IPv6);
   * empty means no listener. Postfix keeps this in master.cf; Postern has no master.cf, so
   * a listener's own settings are written {@code PORT.name = value} in main.cf (e.g.
   * {@code 587.smtpd_tls_security_level = encrypt}) and apply to the listeners on that port,
   * as master.cf's {@code -o name=value} does. Port 25 is MX service, 587 submission.
   */
  public static final ConfigKey SMTPD_LISTEN = new ConfigKey("smtpd_listen", "25, 587");
  /** The text after 220 in the greeting. */
  public static final ConfigKey SMTPD_BANNER =
      new ConfigKey("smtpd_banner", "$myhostname ESMTP Postern");
  public static final ConfigKey SMTPD_RECIPIENT_LIMIT =
      new ConfigKey("smtpd_recipient_limit", "1000");
  /** Longer SMTP lines are split into pieces of this length (commands: rejected). */
  public static final ConfigKey LINE_LENGTH_LIMIT = new ConfigKey("line_length_limit", "2048");
  public static final ConfigKey HEADER_SIZE_LIMIT = new ConfigKey("header_size_limit", "102400");
  /** How long the SMTP server waits for a client's next command or data. */
  public static final ConfigKey SMTPD_TIMEOUT = new ConfigKey("smtpd_timeout", "300s");
  public static final ConfigKey SMTPD_SOFT_ERROR_LIMIT =
      new ConfigKey("smtpd_soft_error_limit", "10");
  public static final ConfigKey SMTPD_HARD_ERROR_LIMIT =
      new ConfigKey("smtpd_hard_error_limit", "20");
  /** Delay before each error reply once the soft error limit is reached. */
  public static final ConfigKey SMTPD_ERROR_SLEEP_TIME =
      new ConfigKey("smtpd_error_sleep_time", "1s");
  /** Simultaneous SMTP connections from one client address. */
  public static final ConfigKey SMTPD_CLIENT_CONNECTION_COUNT_LIMIT =
      new ConfigKey("smtpd_client_connection_count_limit", "50");
  /** New connections one client may make per anvil_rate_time_unit (0: no limit). */
  public static final ConfigKey SMTPD_CLIENT_CONNECTION_RATE_LIMIT =
      new ConfigKey("smtpd_client_connection_rate_limit", "0");
  /** The time unit of the per-client rate limits. */
  public static final ConfigKey ANVIL_RATE_TIME_UNIT = new ConfigKey("anvil_rate_time_unit", "60s");
  /** Clients the per-client rate limit does not apply to. */
  public static final ConfigKey SMTPD_CLIENT_EVENT_LIMIT_EXCEPTIONS =
      new ConfigKey("smtpd_client_event_limit_exceptions", "$mynetworks");
  /** Simultaneous SMTP connections in all, and deliveries at once (Postfix: per service). */
  public static final ConfigKey DEFAULT_PROCESS_LIMIT =
      new ConfigKey("default_process_limit", "100");
  /** Look up the client's name in the DNS (else it is logged as {@code unknown}). */
  public static final ConfigKey SMTPD_PEERNAME_LOOKUP =
      new ConfigKey("smtpd_peername_lookup", "yes");
  /** Disconnect a client that sends commands ahead of the EHLO/HELO or DATA reply. */
  public static final ConfigKey SMTPD_FORBID_UNAUTH_PIPELINING =
      new ConfigKey("smtpd_forbid_unauth_pipelining", "yes");
  /**
   * Clients exempt from smtpd_forbid_bare_newline = reject (Postfix's list) and, here, from
   * smtpd_forbid_unauth_pipelining too: local scripts that pipeline sloppily keep working.
   */
  public static final ConfigKey SMTPD_FORBID_BARE_NEWLINE_EXCLUSIONS =
      new ConfigKey("smtpd_forbid_bare_newline_exclusions", "$mynetworks");
  /**
   * Bare LF in SMTP input: {@code normalize} (= {@code yes}: a line end, but only
   * CRLF.CRLF ends DATA), {@code reject} (550), or {@code no} (any LF.LF ends DATA).
   */
  public static final ConfigKey SMTPD_FORBID_BARE_NEWLINE =
      new ConfigKey("smtpd_forbid_bare_newline", "normalize");

  /** Refuse MAIL FROM before HELO/EHLO with 503 (Postfix's name; off, as in Postfix). */
  public static final ConfigKey SMTPD_HELO_REQUIRED = new ConfigKey("smtpd_helo_required", "no");
  /** Refuse (501, at RCPT) a HELO/EHLO name that is neither a host name nor an address. */
  public static final ConfigKey SMTPD_REJECT_INVALID_HELO_HOSTNAME =
      new ConfigKey("smtpd_reject_invalid_helo_hostname", "yes");
  /** Refuse (450, at RCPT) a HELO/EHLO name with neither an A/AAAA nor an MX record. */
  public static final ConfigKey SMTPD_REJECT_UNKNOWN_HELO_HOSTNAME =
      new ConfigKey("smtpd_reject_unknown_helo_hostname", "no");
  /** DNS blocklists of SMTP clients: {@code zone[=answer]} items ({@code =127.0.0.[2..11]}). */
  public static final ConfigKey SMTPD_DNSBL_ZONES = new ConfigKey("smtpd_dnsbl_zones", "");
  /** Take MAIL FROM domains without MX or address records (sendmail's FEATURE name). */
  public static final ConfigKey ACCEPT_UNRESOLVABLE_DOMAINS =
      new ConfigKey("accept_unresolvable_domains", "no");

  /** DNS servers: {@code address[:port]} items ({@code [v6]:port}); empty: /etc/resolv.conf's. */
  public static final ConfigKey DNS_RESOLVER = new ConfigKey("dns_resolver", "");
  /** How long one DNS query waits for one server's answer (resolv.conf's timeout). */
  public static final ConfigKey DNS_TIMEOUT = new ConfigKey("dns_timeout", "5s");
  /** Tries per server before a DNS lookup fails for now (resolv.conf's attempts). */
  public static final ConfigKey DNS_ATTEMPTS = new ConfigKey("dns_attempts", "2");

  /** sendmail's mailertable: routes by recipient domain ({@code smtp:[host]:port} ...). */
  public static final ConfigKey MAILERTABLE_MAP =
      new ConfigKey("mailertable_map", "hash:/etc/mail/mailertable");
  /** Postfix's relayhost: every remote domain not in mailertable goes there; empty: MX. */
  public static final ConfigKey RELAYHOST = new ConfigKey("relayhost", "");
  /** local(8) hands mailbox deliveries here instead of the mbox: {@code lmtp:unix:PATH} ... */
  public static final ConfigKey MAILBOX_TRANSPORT = new ConfigKey("mailbox_transport", "");
  /** Domains whose every recipient goes to virtual_transport (no aliases, no passwd). */
  public static final ConfigKey VIRTUAL_MAILBOX_DOMAINS =
      new ConfigKey("virtual_mailbox_domains", "");
  /**
   * The recipients of virtual_mailbox_domains (keys user@domain or @domain), for the SMTP
   * server's unknown-user check; empty: every recipient of those domains is taken.
   */
  public static final ConfigKey VIRTUAL_MAILBOX_MAPS = new ConfigKey("virtual_mailbox_maps", "");
  /** Where mail for virtual_mailbox_domains goes; Postern has no virtual(8): lmtp: only. */
  public static final ConfigKey VIRTUAL_TRANSPORT = new ConfigKey("virtual_transport", "virtual");
  /** Address families of remote delivery: all, ipv4 or ipv6. */
  public static final ConfigKey INET_PROTOCOLS = new ConfigKey("inet_protocols", "all");
  /** SMTP sessions at once to one destination (next hop). */
  public static final ConfigKey DEFAULT_DESTINATION_CONCURRENCY_LIMIT =
      new ConfigKey("default_destination_concurrency_limit", "20");
  /** Recipients per SMTP transaction to one destination. */
  public static final ConfigKey DEFAULT_DESTINATION_RECIPIENT_LIMIT =
      new ConfigKey("default_destination_recipient_limit", "50");
  /** How long an idle SMTP session is kept for the next message to its destination. */
  public static final ConfigKey SMTP_CONNECTION_CACHE_TIME_LIMIT =
      new ConfigKey("smtp_connection_cache_time_limit", "2s");
  /** Per-destination TLS levels: a table of {@code domain} / {@code [host]:port} to level. */
  public static final ConfigKey SMTP_TLS_POLICY_MAPS = new ConfigKey("smtp_tls_policy_maps", "");

  /** SMTP client: longest wait for a TCP connection to a server. */
  public static final ConfigKey SMTP_CONNECT_TIMEOUT =
      new ConfigKey("smtp_connect_timeout", "30s");
  /** SMTP client: longest wait for the greeting and the EHLO/HELO reply. */
  public static final ConfigKey SMTP_HELO_TIMEOUT = new ConfigKey("smtp_helo_timeout", "300s");
  /** SMTP client: longest wait for the MAIL FROM reply. */
  public static final ConfigKey SMTP_MAIL_TIMEOUT = new ConfigKey("smtp_mail_timeout", "300s");
  /** SMTP client: longest wait for each RCPT TO reply. */
  public static final ConfigKey SMTP_RCPT_TIMEOUT = new ConfigKey("smtp_rcpt_timeout", "300s");
  /** SMTP client: longest wait for the DATA reply. */
  public static final ConfigKey SMTP_DATA_INIT_TIMEOUT =
      new ConfigKey("smtp_data_init_timeout", "120s");
  /** SMTP client: longest any single write of the message body may block. */
  public static final ConfigKey SMTP_DATA_XFER_TIMEOUT =
      new ConfigKey("smtp_data_xfer_timeout", "180s");
  /** SMTP client: longest wait for the reply after the final "." of the message. */
  public static final ConfigKey SMTP_DATA_DONE_TIMEOUT =
      new ConfigKey("smtp_data_done_timeout", "600s");
  /** SMTP client: longest wait for the RSET reply before reusing a connection. */
  public static final ConfigKey SMTP_RSET_TIMEOUT = new ConfigKey("smtp_rset_timeout", "20s");
  /** SMTP client: longest wait while sending QUIT. */
  public static final ConfigKey SMTP_QUIT_TIMEOUT = new ConfigKey("smtp_quit_timeout", "300s");
  /** SMTP client: longest wait for the STARTTLS reply and for each step of the handshake. */
  public static final ConfigKey SMTP_STARTTLS_TIMEOUT =
      new ConfigKey("smtp_starttls_timeout", "300s");
  /** SMTP client: the name sent in EHLO/HELO. */
  public static final ConfigKey SMTP_HELO_NAME = new ConfigKey("smtp_helo_name", "$myhostname");
  /** SMTP client TLS: none, may, encrypt or verify (Postfix's default is none; ours may). */
  public static final ConfigKey SMTP_TLS_SECURITY_LEVEL =
      new ConfigKey("smtp_tls_security_level", "may");
  /** SMTP client TLS: PEM file of the CAs trusted at level verify (empty: the JDK's). */
  public static final ConfigKey SMTP_TLS_CAFILE = new ConfigKey("smtp_tls_CAfile", "");
  /**
   * SMTP client: bounce 8-bit mail (5.6.3) to a server without 8BITMIME instead of sending
   * it as is (Postern's own parameter; Postfix converts to quoted-printable instead).
   */
  public static final ConfigKey SMTP_8BITMIME_STRICT =
      new ConfigKey("smtp_8bitmime_strict", "no");
  /** SMTP client: TLS from the first byte (RFC 8314 implicit TLS, port 465), not STARTTLS. */
  public static final ConfigKey SMTP_TLS_WRAPPERMODE =
      new ConfigKey("smtp_tls_wrappermode", "no");
  /** SMTP client: log in (RFC 4954 AUTH) where smtp_sasl_password_maps has a login. */
  public static final ConfigKey SMTP_SASL_AUTH_ENABLE =
      new ConfigKey("smtp_sasl_auth_enable", "no");
  /**
   * SMTP client logins: Postfix's sasl_passwd ({@code [host]:port user:password}, e.g.
   * {@code hash:/etc/postern/sasl_passwd}) or sendmail's {@code authinfo:/etc/mail/authinfo}.
   */
  public static final ConfigKey SMTP_SASL_PASSWORD_MAPS =
      new ConfigKey("smtp_sasl_password_maps", "");
  /** SMTP client: mechanism properties required without TLS (noplaintext: no PLAIN/LOGIN). */
  public static final ConfigKey SMTP_SASL_SECURITY_OPTIONS =
      new ConfigKey("smtp_sasl_security_options", "noplaintext, noanonymous");
  /**
   * SMTP client: the same inside TLS. Postfix's default is $smtp_sasl_security_options, which
   * with Cyrus SASL refuses PLAIN and LOGIN even over TLS; ours lets them run inside TLS.
   */
  public static final ConfigKey SMTP_SASL_TLS_SECURITY_OPTIONS =
      new ConfigKey("smtp_sasl_tls_security_options", "noanonymous");
  /** SMTP client: the only mechanisms used (names; empty: every one offered). */
  public static final ConfigKey SMTP_SASL_MECHANISM_FILTER =
      new ConfigKey("smtp_sasl_mechanism_filter", "");
  /** SMTP client: look the login up by envelope sender (address, then @domain) first. */
  public static final ConfigKey SMTP_SENDER_DEPENDENT_AUTHENTICATION =
      new ConfigKey("smtp_sender_dependent_authentication", "no");

  /**
   * STARTTLS (RFC 3207): {@code none} (not offered, the default as in Postfix), {@code may}
   * (offered in EHLO) or {@code encrypt} (mail refused with 530 until the client started
   * TLS). The submission port 587 defaults to {@code encrypt} (RFC 8314 §3.3), see
   * {@link #LISTENER_DEFAULTS}.
   */
  public static final ConfigKey SMTPD_TLS_SECURITY_LEVEL =
      new ConfigKey("smtpd_tls_security_level", "none");
  /** The server certificate in PEM, optionally followed by its chain (intermediates). */
  public static final ConfigKey SMTPD_TLS_CERT_FILE = new ConfigKey("smtpd_tls_cert_file", "");
  /**
   * The private key in PEM: PKCS#8 ({@code PRIVATE KEY}, RSA or EC), PKCS#1 ({@code RSA
   * PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), unencrypted; may be the cert file.
   */
  public static final ConfigKey SMTPD_TLS_KEY_FILE =
      new ConfigKey("smtpd_tls_key_file", "$smtpd_tls_cert_file");
  /**
   * TLS versions the server accepts, Postfix's syntax: {@code >=TLSv1.2}, {@code <=TLSv1.3},
   * names, or {@code !name} exclusions, e.g. {@code !SSLv2, !SSLv3, !TLSv1, !TLSv1.1}.
   */
  public static final ConfigKey SMTPD_TLS_PROTOCOLS =
      new ConfigKey("smtpd_tls_protocols", ">=TLSv1.2");

  /**
   * Built-in per-listener defaults, as Postfix's stock master.cf gives the submission
   * service {@code -o smtpd_tls_security_level=encrypt}: the listener on 587 requires
   * STARTTLS (RFC 6409, RFC 8314). Like master.cf's {@code -o}, such a default beats the
   * global main.cf value; only {@code PORT.name} in main.cf overrides it.
   */
  public static final Map<Integer, Map<ConfigKey, String>> LISTENER_DEFAULTS =
      Map.of(587, Map.of(SMTPD_TLS_SECURITY_LEVEL, "encrypt"));

  public static final List<ConfigKey> ALL =
      List.of(
          ROOT,
          MYHOSTNAME,
          MYDOMAIN,
          MYORIGIN,
          APPEND_AT_MYORIGIN,
          MYDESTINATION,
          QUEUE_DIRECTORY,
          MAIL_SPOOL_DIRECTORY,
          MAILLOG_FILE,
          SYSLOG_NAME,
          MAILLOG_DEBUG,
          LOCAL_USERS_FILE,
          ALIAS_MAPS,
          ALIAS_DATABASE,
          ACCESS_MAP,
          VIRTUSERTABLE_MAP,
          CANONICAL_MAPS,
          SENDER_CANONICAL_MAPS,
          RECIPIENT_CANONICAL_MAPS,
          CANONICAL_CLASSES,
          SENDER_CANONICAL_CLASSES,
          RECIPIENT_CANONICAL_CLASSES,
          MASQUERADE_DOMAINS,
          MASQUERADE_EXCEPTIONS,
          MASQUERADE_CLASSES,
          PROPAGATE_UNMATCHED_EXTENSIONS,
          SMTP_GENERIC_MAPS,
          MYNETWORKS,
          RELAY_DOMAINS,
          SMTPD_REJECT_UNLISTED_RECIPIENT,
          FORWARD_PATH,
          ALLOW_MAIL_TO_COMMANDS,
          ALLOW_MAIL_TO_FILES,
          COMMAND_TIME_LIMIT,
          MAILBOX_COMMAND,
          MAILBOX_COMMAND_MAPS,
          HOME_MAILBOX,
          MAIL_OWNER,
          LOCAL_DELIVERY_SERVICE,
          DEFAULT_PRIVS,
          TRUSTED_USERS,
          MESSAGE_SIZE_LIMIT,
          MAILBOX_SIZE_LIMIT,
          HOPCOUNT_LIMIT,
          RECIPIENT_DELIMITER,
          DELIVER_LOCK_ATTEMPTS,
          DELIVER_LOCK_DELAY,
          STALE_LOCK_TIME,
          STRICT_MAILBOX_OWNERSHIP,
          MINIMAL_BACKOFF_TIME,
          MAXIMAL_BACKOFF_TIME,
          MAXIMAL_QUEUE_LIFETIME,
          BOUNCE_QUEUE_LIFETIME,
          QUEUE_RUN_DELAY,
          DELAY_WARNING_TIME,
          BOUNCE_SIZE_LIMIT,
          LOCAL_DESTINATION_CONCURRENCY_LIMIT,
          SENDMAIL_NO_RECIPIENT_EXIT,
          MAILQ_FORMAT,
          AUTHORIZED_MAILQ_USERS,
          SMTPD_LISTEN,
          SMTPD_BANNER,
          SMTPD_RECIPIENT_LIMIT,
          LINE_LENGTH_LIMIT,
          HEADER_SIZE_LIMIT,
          SMTPD_TIMEOUT,
          SMTPD_SOFT_ERROR_LIMIT,
          SMTPD_HARD_ERROR_LIMIT,
          SMTPD_ERROR_SLEEP_TIME,
          SMTPD_CLIENT_CONNECTION_COUNT_LIMIT,
          SMTPD_CLIENT_CONNECTION_RATE_LIMIT,
          ANVIL_RATE_TIME_UNIT,
          SMTPD_CLIENT_EVENT_LIMIT_EXCEPTIONS,
          DEFAULT_PROCESS_LIMIT,
          SMTPD_PEERNAME_LOOKUP,
          SMTPD_FORBID_UNAUTH_PIPELINING,
          SMTPD_FORBID_BARE_NEWLINE_EXCLUSIONS,
          SMTPD_FORBID_BARE_NEWLINE,
          SMTPD_TLS_SECURITY_LEVEL,
          SMTPD_TLS_CERT_FILE,
          SMTPD_TLS_KEY_FILE,
          SMTPD_TLS_PROTOCOLS,
          SMTPD_HELO_REQUIRED,
          SMTPD_REJECT_INVALID_HELO_HOSTNAME,
          SMTPD_REJECT_UNKNOWN_HELO_HOSTNAME,
          SMTPD_DNSBL_ZONES,
          ACCEPT_UNRESOLVABLE_DOMAINS,
          DNS_RESOLVER,
          DNS_TIMEOUT,
          DNS_ATTEMPTS,
          MAILERTABLE_MAP,
          RELAYHOST,
          MAILBOX_TRANSPORT,
          VIRTUAL_MAILBOX_DOMAINS,
          VIRTUAL_MAILBOX_MAPS,
          VIRTUAL_TRANSPORT,
          INET_PROTOCOLS,
          DEFAULT_DESTINATION_CONCURRENCY_LIMIT,
          DEFAULT_DESTINATION_RECIPIENT_LIMIT,
          SMTP_CONNECTION_CACHE_TIME_LIMIT,
          SMTP_TLS_POLICY_MAPS,
          SMTP_CONNECT_TIMEOUT,
          SMTP_HELO_TIMEOUT,
          SMTP_MAIL_TIMEOUT,
          SMTP_RCPT_TIMEOUT,
          SMTP_DATA_INIT_TIMEOUT,
          SMTP_DATA_XFER_TIMEOUT,
          SMTP_DATA_DONE_TIMEOUT,
          SMTP_RSET_TIMEOUT,
          SMTP_QUIT_TIMEOUT,
          SMTP_STARTTLS_TIMEOUT,
          SMTP_HELO_NAME,
          SMTP_TLS_SECURITY_LEVEL,
          SMTP_TLS_CAFILE,
          SMTP_8BITMIME_STRICT,
          SMTP_TLS_WRAPPERMODE,
          SMTP_SASL_AUTH_ENABLE,
          SMTP_SASL_PASSWORD_MAPS,
          SMTP_SASL_SECURITY_OPTIONS,
          SMTP_SASL_TLS_SECURITY_OPTIONS,
          SMTP_SASL_MECHANISM_FILTER,
          SMTP_SENDER_DEPENDENT_AUTHENTICATION);

  /** The key of that name, if Postern knows it. */
  public static Optional<ConfigKey> byName(String name) {
    for (ConfigKey key : ALL) { // no stream: see ParameterName.parse
      if (key.name().equals(name)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  /** The built-in default of {@code key} for the listeners on {@code port}, if it has one. */
  public static Optional<String> listenerDefault(int port, ConfigKey key) {
    return Optional.ofNullable(LISTENER_DEFAULTS.getOrDefault(port, Map.of()).get(key));
  }
}
