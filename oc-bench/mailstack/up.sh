#!/usr/bin/env bash
# oc-bench: part of the loopback mail server (Dovecot + Postfix from Debian's packages) that
# MailStackBenchmark runs against; see oc-bench/mailstack/README.md.
# up.sh [STATE_DIR] — install (if missing), configure and start a loopback-only
# mail stack for tests: Dovecot (IMAP 10143/STARTTLS, IMAPS 10993, LMTP 10024)
# and Postfix (SMTP inject 10025, submission 10587 with STARTTLS + AUTH).
# Everything it writes lives under STATE_DIR (default /tmp/ocbench-mail).
# Idempotent: a second run keeps the CA, the truststore and the mail, and only
# reloads a daemon whose configuration changed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
ms_init "${1:-}"

T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}'; }

[ "$(id -u)" = 0 ] || ms_die "up.sh must run as root (it installs packages and starts daemons)"

# ---------------------------------------------------------------- packages
PKGS=(dovecot-imapd dovecot-lmtpd postfix openssl swaks
      libio-socket-ssl-perl libnet-ssleay-perl libauthen-sasl-perl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  ms_log "installing: ${missing[*]}"
  # No stock Postfix configuration: this stack runs its own instance from
  # STATE_DIR, so /etc/postfix gets no main.cf and no stock MTA is set up.
  if ! dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q 'install ok installed'; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  fi
  # Keep the packages' maintainer scripts from starting the stock daemons
  # (Dovecot on 143/993, Postfix on 25); a policy-rc.d that we add is removed
  # again right after the install.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# temporary, added by mailstack/up.sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    added_policy=1
    trap 'rm -f "$policy"' EXIT
  fi
  lists_fresh=0
  if find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | grep -q .; then
    lists_fresh=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  APT_LOG="$(mktemp -t mailstack-apt.XXXXXX)"
  apt_install() { apt-get install -y -q --no-install-recommends \
                    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"; }
  if [ "$lists_fresh" = 1 ] && apt_install >"$APT_LOG" 2>&1; then :; else
    apt-get update -q >>"$APT_LOG" 2>&1 || true
    apt_install >>"$APT_LOG" 2>&1 || { tail -30 "$APT_LOG" >&2; ms_die "apt-get install failed (log: $APT_LOG)"; }
  fi
  rm -f "$APT_LOG"
  if [ "$added_policy" = 1 ]; then rm -f "$policy"; trap - EXIT; fi
  ms_log "packages installed ($(elapsed))"
fi
for b in dovecot doveconf doveadm postfix postconf openssl; do
  command -v "$b" >/dev/null 2>&1 || ms_die "$b not found after install"
done
KEYTOOL="$(command -v keytool 2>/dev/null || true)"
[ -z "$KEYTOOL" ] && [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ] && KEYTOOL="$JAVA_HOME/bin/keytool"
[ -n "$KEYTOOL" ] || ms_die "keytool (from a JDK) not found"

# ---------------------------------------------------------------- vmail user
if ! getent group "$MS_MAIL_USER" >/dev/null; then groupadd --system "$MS_MAIL_USER"; fi
if ! getent passwd "$MS_MAIL_USER" >/dev/null; then
  useradd --system --gid "$MS_MAIL_USER" --no-create-home --home-dir /nonexistent \
          --shell /usr/sbin/nologin "$MS_MAIL_USER"
fi
VMAIL_UID="$(id -u "$MS_MAIL_USER")"
VMAIL_GID="$(id -g "$MS_MAIL_USER")"

# ---------------------------------------------------------------- directories
install -d -m 755 "$MS_STATE" "$MS_TLS" "$MS_LOG" "$MS_DOVECOT_DIR" "$MS_STATE/run" \
                  "$MS_STATE/lib" "$MS_DOVECOT_STATE" "$MS_STATE/postfix" "$MS_POSTFIX_ETC" \
                  "$MS_POSTFIX_QUEUE"
install -d -m 755 -o "$MS_MAIL_USER" -g "$MS_MAIL_USER" "$MS_MAIL"
install -d -m 700 -o postfix -g postfix "$MS_POSTFIX_DATA"
if [ "${#MS_AUTH_SOCKET}" -gt 100 ]; then
  ms_die "STATE_DIR too long for unix socket paths ($MS_AUTH_SOCKET); use a shorter one"
fi

# write_file DEST MODE < content — replace DEST only if the content differs;
# returns 0 when it changed.
write_file() {
  local dest="$1" mode="$2" tmp
  tmp="$(mktemp "$dest.XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then rm -f "$tmp"; return 1; fi
  mv -f "$tmp" "$dest"
  return 0
}

# ---------------------------------------------------------------- TLS
tls_changed=0
if ! [ -s "$MS_CA_CRT" ] || ! [ -s "$MS_CA_KEY" ] ||
   ! openssl x509 -in "$MS_CA_CRT" -noout -checkend 2592000 >/dev/null 2>&1; then
  ms_log "generating throwaway CA"
  ( umask 077
    openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -keyout "$MS_CA_KEY" -out "$MS_CA_CRT" \
      -subj "/O=ocmail tests/CN=ocmail throwaway CA $(date -u +%Y%m%d%H%M%S)" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -addext "subjectKeyIdentifier=hash" >/dev/null 2>&1 ) || ms_die "CA generation failed"
  chmod 644 "$MS_CA_CRT"
  rm -f "$MS_SRV_CRT"
  tls_changed=1
fi
if ! [ -s "$MS_SRV_CRT" ] || ! [ -s "$MS_SRV_KEY" ] ||
   ! openssl verify -CAfile "$MS_CA_CRT" "$MS_SRV_CRT" >/dev/null 2>&1 ||
   ! openssl x509 -in "$MS_SRV_CRT" -noout -checkend 2592000 >/dev/null 2>&1; then
  ms_log "generating server certificate for localhost / 127.0.0.1"
  ext="$MS_TLS/server.ext"
  cat >"$ext" <<'EOF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, DNS:mail.kontrol.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  ( umask 077
    openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$MS_SRV_KEY" \
      -out "$MS_TLS/server.csr" -subj "/O=ocmail tests/CN=localhost" >/dev/null 2>&1 &&
    openssl x509 -req -in "$MS_TLS/server.csr" -CA "$MS_CA_CRT" -CAkey "$MS_CA_KEY" \
      -set_serial "0x$(openssl rand -hex 15)" -days 825 -sha256 -extfile "$ext" \
      -out "$MS_SRV_CRT" >/dev/null 2>&1 ) || ms_die "server certificate generation failed"
  chmod 644 "$MS_SRV_CRT"; chmod 600 "$MS_SRV_KEY"
  rm -f "$MS_TLS/server.csr" "$ext"
  tls_changed=1
fi
ca_fp="$(openssl x509 -in "$MS_CA_CRT" -noout -fingerprint -sha256 | sed 's/.*=//')"
ts_fp=""
if [ -s "$MS_TRUSTSTORE" ]; then
  ts_fp="$("$KEYTOOL" -list -v -keystore "$MS_TRUSTSTORE" -storetype PKCS12 \
             -storepass "$MS_TRUSTSTORE_PASSWORD" -alias ocmail-ca 2>/dev/null |
           sed -n 's/^[[:space:]]*SHA256:[[:space:]]*//p' | head -1)"
fi
if [ "$ts_fp" != "$ca_fp" ]; then
  ms_log "writing Java truststore $MS_TRUSTSTORE"
  rm -f "$MS_TRUSTSTORE"
  "$KEYTOOL" -importcert -noprompt -alias ocmail-ca -file "$MS_CA_CRT" \
    -keystore "$MS_TRUSTSTORE" -storetype PKCS12 -storepass "$MS_TRUSTSTORE_PASSWORD" \
    >/dev/null 2>&1 || ms_die "keytool could not write $MS_TRUSTSTORE"
  chmod 644 "$MS_TRUSTSTORE"
fi

# ---------------------------------------------------------------- Dovecot
dovecot_changed=$tls_changed
if for u in "${MS_USERS[@]}"; do printf '%s:{PLAIN}%s::::::\n' "$u" "$MS_PASSWORD"; done |
   write_file "$MS_DOVECOT_USERS" 640; then dovecot_changed=1; fi
chgrp dovecot "$MS_DOVECOT_USERS"

if write_file "$MS_DOVECOT_CONF" 644 <<EOF; then dovecot_changed=1; fi
# Generated by mailstack/up.sh; edit up.sh, not this file.
instance_name = ocmail
hostname = mail.kontrol.test
base_dir = $MS_DOVECOT_RUN
state_dir = $MS_DOVECOT_STATE
protocols = imap lmtp
listen = $MS_HOST
log_path = $MS_LOG/dovecot.log
info_log_path = $MS_LOG/dovecot.log
auth_verbose = yes
login_greeting = ocmail Dovecot ready.

# Plaintext logins are allowed everywhere (also on $MS_IMAP_PORT without STARTTLS)
# so that tests can choose; TLS is available on every port.
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <$MS_SRV_CRT
ssl_key = <$MS_SRV_KEY
ssl_min_protocol = TLSv1.2

mail_location = maildir:~/Maildir
first_valid_uid = $VMAIL_UID
first_valid_gid = $VMAIL_GID
# IDLE: inotify pushes new mail at once; poll every second where it can't.
mailbox_idle_check_interval = 1 secs
imap_idle_notify_interval = 2 mins

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $MS_DOVECOT_USERS
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $MS_DOVECOT_USERS
  default_fields = uid=$MS_MAIL_USER gid=$MS_MAIL_USER home=$MS_MAIL/%Ld/%Ln
}

namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Trash {
    special_use = \\Trash
  }
  mailbox Junk {
    special_use = \\Junk
  }
}

service imap-login {
  inet_listener imap {
    address = $MS_HOST
    port = $MS_IMAP_PORT
  }
  inet_listener imaps {
    address = $MS_HOST
    port = $MS_IMAPS_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = $MS_HOST
    port = $MS_LMTP_PORT
  }
}
service auth {
  # Postfix's SMTP AUTH on the submission port asks Dovecot through this socket.
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
protocol imap {
  mail_max_userip_connections = 100
}
protocol lmtp {
  postmaster_address = postmaster@kontrol.test
}
EOF

doveconf -c "$MS_DOVECOT_CONF" -n >/dev/null 2>"$MS_LOG/doveconf.err" ||
  { cat "$MS_LOG/doveconf.err" >&2; ms_die "Dovecot rejects $MS_DOVECOT_CONF"; }
rm -f "$MS_LOG/doveconf.err"

# ---------------------------------------------------------------- Postfix
# Who writes delivered mail into the Maildirs: Dovecot over LMTP (default), or Postfix's virtual(8).
case "${MS_DELIVERY:-lmtp}" in
  lmtp) MS_VIRTUAL_TRANSPORT="lmtp:inet:$MS_HOST:$MS_LMTP_PORT" ;;
  virtual) MS_VIRTUAL_TRANSPORT=virtual ;;
  *) ms_die "MS_DELIVERY must be lmtp or virtual, not '$MS_DELIVERY'" ;;
esac
postfix_changed=$tls_changed
if for u in "${MS_USERS[@]}"; do printf '%s %s/%s/Maildir/\n' "$u" "${u#*@}" "${u%%@*}"; done |
   write_file "$MS_POSTFIX_ETC/vmailbox" 644; then postfix_changed=1; fi
if for d in "${MS_DOMAINS[@]}"; do
     printf 'postmaster@%s %s\nabuse@%s %s\n' "$d" "$MS_POSTMASTER" "$d" "$MS_POSTMASTER"
   done | write_file "$MS_POSTFIX_ETC/valias" 644; then postfix_changed=1; fi

if write_file "$MS_POSTFIX_ETC/main.cf" 644 <<EOF; then postfix_changed=1; fi
# Generated by mailstack/up.sh; edit up.sh, not this file.
# A private Postfix instance: start with  postfix -c $MS_POSTFIX_ETC start
compatibility_level = 3.6
queue_directory = $MS_POSTFIX_QUEUE
data_directory = $MS_POSTFIX_DATA
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-ocmail
maillog_file = $MS_LOG/postfix.log
maillog_file_prefixes = $MS_LOG

myhostname = mail.kontrol.test
mydomain = kontrol.test
myorigin = \$mydomain
inet_interfaces = $MS_HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP ocmail
biff = no
append_dot_mydomain = no
readme_directory = no
disable_vrfy_command = yes
message_size_limit = 52428800

# Only the test domains exist. MS_DELIVERY=lmtp (the default) hands every message to Dovecot
# over LMTP; MS_DELIVERY=virtual has Postfix's virtual(8) agent write it into the same Maildir.
mydestination =
local_recipient_maps =
local_transport = error:5.1.1 local delivery is disabled in the ocmail test stack
alias_maps =
alias_database =
relayhost =
relay_domains =
virtual_mailbox_domains = ${MS_DOMAINS[*]}
virtual_mailbox_maps = texthash:$MS_POSTFIX_ETC/vmailbox
virtual_alias_maps = texthash:$MS_POSTFIX_ETC/valias
virtual_transport = $MS_VIRTUAL_TRANSPORT
# For MS_DELIVERY=virtual: Postfix's own delivery agent writes the Maildir (the map's values).
virtual_mailbox_base = $MS_MAIL
virtual_uid_maps = static:$VMAIL_UID
virtual_gid_maps = static:$VMAIL_GID
virtual_minimum_uid = 1
virtual_mailbox_limit = 0

# No relaying, not even for authenticated users, and no DNS: mail for any
# other domain is refused at RCPT time; should anything slip through, the
# default transport bounces it instead of looking anything up.
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = reject_unlisted_recipient
default_transport = error:5.7.1 relaying outside the ocmail test domains is disabled
relay_transport = error:5.7.1 relaying outside the ocmail test domains is disabled
smtp_host_lookup = native
lmtp_host_lookup = native
smtp_dns_support_level = disabled
smtpd_peername_lookup = no

# A worker serves up to 10,000 requests before it is replaced (default 100): at a few hundred
# messages a second the default has the master fork a new cleanup, delivery agent and
# trivial-rewrite every second or so, each reading the whole configuration again.
max_use = 10000

# Quick turnaround for tests.
smtpd_error_sleep_time = 0
in_flow_delay = 0
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 60s
maximal_queue_lifetime = 1d
bounce_queue_lifetime = 1d

# TLS (STARTTLS): offered on $MS_SMTP_INJECT_PORT, required on $MS_SUBMISSION_PORT.
smtpd_tls_cert_file = $MS_SRV_CRT
smtpd_tls_key_file = $MS_SRV_KEY
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtpd_tls_session_cache_database =
smtp_tls_security_level = none

# SMTP AUTH through Dovecot (enabled on the submission port only).
smtpd_sasl_type = dovecot
smtpd_sasl_path = $MS_AUTH_SOCKET
smtpd_sasl_auth_enable = no
smtpd_tls_auth_only = yes
smtpd_sasl_security_options = noanonymous
EOF

if write_file "$MS_POSTFIX_ETC/master.cf" 644 <<EOF; then postfix_changed=1; fi
# Generated by mailstack/up.sh; edit up.sh, not this file.
# service type  private unpriv  chroot  wakeup  maxproc command + args
$MS_HOST:$MS_SMTP_INJECT_PORT inet n - n - - smtpd
  -o syslog_name=postfix-ocmail/inject
  -o smtpd_sasl_auth_enable=no
$MS_HOST:$MS_SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix-ocmail/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=reject_unlisted_recipient
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

pf() { postfix -c "$MS_POSTFIX_ETC" "$@"; }
pf check >"$MS_LOG/postfix-check.log" 2>&1 ||
  { cat "$MS_LOG/postfix-check.log" >&2; ms_die "postfix check failed"; }

# ---------------------------------------------------------------- start / reload
busy_ports() { # ports among "$@" that something already listens on
  local p out=()
  for p in "$@"; do ms_port_open "$p" && out+=("$p"); done
  echo "${out[*]:-}"
}

if dpid="$(ms_dovecot_pid)"; then
  if [ "$dovecot_changed" = 1 ]; then
    ms_log "reloading Dovecot (pid $dpid): configuration changed"
    doveadm -c "$MS_DOVECOT_CONF" reload
  else
    ms_log "Dovecot already running (pid $dpid)"
  fi
else
  b="$(busy_ports "$MS_IMAP_PORT" "$MS_IMAPS_PORT" "$MS_LMTP_PORT")"
  [ -z "$b" ] || ms_die "port(s) $b already in use by something else; Dovecot not started"
  ms_log "starting Dovecot"
  dovecot -c "$MS_DOVECOT_CONF" </dev/null >>"$MS_LOG/dovecot.start.log" 2>&1 ||
    { tail -20 "$MS_LOG/dovecot.start.log" "$MS_LOG/dovecot.log" >&2 2>/dev/null; ms_die "Dovecot failed to start"; }
fi

if ppid="$(ms_postfix_pid)"; then
  if [ "$postfix_changed" = 1 ]; then
    ms_log "reloading Postfix (pid $ppid): configuration changed"
    pf reload </dev/null >>"$MS_LOG/postfix.start.log" 2>&1 || kill -HUP "$ppid"
  else
    ms_log "Postfix already running (pid $ppid)"
  fi
else
  b="$(busy_ports "$MS_SMTP_INJECT_PORT" "$MS_SUBMISSION_PORT")"
  [ -z "$b" ] || ms_die "port(s) $b already in use by something else; Postfix not started"
  ms_log "starting Postfix"
  pf start </dev/null >>"$MS_LOG/postfix.start.log" 2>&1 ||
    { tail -20 "$MS_LOG/postfix.start.log" "$MS_LOG/postfix.log" >&2 2>/dev/null; ms_die "Postfix failed to start"; }
fi

# ---------------------------------------------------------------- wait until ready
ports=("$MS_IMAP_PORT" "$MS_IMAPS_PORT" "$MS_LMTP_PORT" "$MS_SMTP_INJECT_PORT" "$MS_SUBMISSION_PORT")
for _ in $(seq 1 100); do
  down=()
  for p in "${ports[@]}"; do ms_port_open "$p" || down+=("$p"); done
  ((${#down[@]})) || break
  sleep 0.2
done
if ((${#down[@]})); then
  tail -20 "$MS_LOG/dovecot.log" "$MS_LOG/postfix.log" >&2 2>/dev/null || true
  ms_die "not listening after 20 s: ${down[*]}"
fi
for _ in $(seq 1 50); do [ -S "$MS_AUTH_SOCKET" ] && break; sleep 0.2; done
[ -S "$MS_AUTH_SOCKET" ] || ms_die "Dovecot auth socket $MS_AUTH_SOCKET missing"

# ---------------------------------------------------------------- mailboxes
# Give every user a Maildir with INBOX and Sent on disk (Dovecot would also
# create them on first use; doing it now makes the layout predictable).
for u in "${MS_USERS[@]}"; do
  if [ ! -d "$(ms_maildir "$u")/.Sent" ]; then
    doveadm -c "$MS_DOVECOT_CONF" mailbox create -s -u "$u" Sent >/dev/null 2>&1 || true
    [ -d "$(ms_maildir "$u")/.Sent" ] || ms_die "could not create the Maildir of $u"
  fi
done

# ---------------------------------------------------------------- env file
write_file "$MS_ENV_FILE" 644 <<EOF || true
# Generated by mailstack/up.sh. Source it: . $MS_ENV_FILE
export IMAP_HOST=$MS_HOST
export IMAP_PORT=$MS_IMAPS_PORT
export IMAP_USERNAME=seguimiento@kontrol.test
export IMAP_PASSWORD=$MS_PASSWORD
export SMTP_HOST=$MS_HOST
export SMTP_PORT=$MS_SUBMISSION_PORT
export SMTP_USERNAME=seguimiento@kontrol.test
export SMTP_PASSWORD=$MS_PASSWORD
export SMTP_FROM_EMAIL=seguimiento@kontrol.test
export OCMAIL_STATE_DIR=$MS_STATE
export OCMAIL_CA_FILE=$MS_CA_CRT
export OCMAIL_TRUSTSTORE=$MS_TRUSTSTORE
export OCMAIL_JAVA_OPTS="-Djavax.net.ssl.trustStore=$MS_TRUSTSTORE -Djavax.net.ssl.trustStorePassword=$MS_TRUSTSTORE_PASSWORD -Djavax.net.ssl.trustStoreType=PKCS12"
EOF

ms_log "mail stack up in $(elapsed): Dovecot pid $(ms_dovecot_pid), Postfix pid $(ms_postfix_pid)"
echo "  IMAP  $MS_HOST:$MS_IMAP_PORT (STARTTLS)  IMAPS $MS_HOST:$MS_IMAPS_PORT  LMTP $MS_HOST:$MS_LMTP_PORT"
echo "  SMTP inject $MS_HOST:$MS_SMTP_INJECT_PORT (no auth)  submission $MS_HOST:$MS_SUBMISSION_PORT (STARTTLS+AUTH)"
echo "  state $MS_STATE  truststore $MS_TRUSTSTORE  env $MS_ENV_FILE"
