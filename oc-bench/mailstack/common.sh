# shellcheck shell=bash disable=SC2034
# oc-bench: settings of the loopback mail server MailStackBenchmark runs against (README.md).
# common.sh — shared settings for the loopback mail stack scripts.
# Sourced by up.sh, down.sh, check.sh and count.sh; not meant to be run.
# Nothing here names a path of this machine: everything is derived from the
# STATE_DIR argument (default /tmp/ocbench-mail) at run time.

MS_HOST=127.0.0.1
MS_IMAP_PORT=10143        # IMAP, STARTTLS offered, plaintext login allowed
MS_IMAPS_PORT=10993       # IMAP over implicit TLS
MS_LMTP_PORT=10024        # Dovecot LMTP (Postfix delivers here)
MS_SMTP_INJECT_PORT=10025 # SMTP, no auth: inject test mail for the local domains
MS_SUBMISSION_PORT=10587  # SMTP submission: STARTTLS required, then AUTH
MS_PASSWORD=secret
MS_TRUSTSTORE_PASSWORD=changeit
MS_MAIL_USER=vmail        # system user that owns the maildirs

MS_DOMAINS=(kontrol.test hotelsales.test walvis.test turismotour.test caja18.test mineduc.test)
MS_USERS=(
  seguimiento@kontrol.test
  reservas@hotelsales.test
  admin@kontrol.test
  finanzas@kontrol.test
  contacto@walvis.test
  contacto@turismotour.test
  contacto@caja18.test
  oc@mineduc.test
)
MS_POSTMASTER=admin@kontrol.test

ms_die() { echo "mailstack: $*" >&2; exit 1; }
ms_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# ms_init STATE_DIR — resolve the state dir to an absolute path and set the
# paths of everything that lives under it.
ms_init() {
  local s="${1:-/tmp/ocbench-mail}"
  case "$s" in /*) ;; *) s="$PWD/$s" ;; esac
  s="${s%/}"
  [ -n "$s" ] || ms_die "STATE_DIR must not be /"
  case "$s" in *[[:space:]]*) ms_die "STATE_DIR must not contain whitespace: '$s'" ;; esac
  MS_STATE="$s"
  MS_TLS="$s/tls"
  MS_CA_CRT="$s/tls/ca.crt"
  MS_CA_KEY="$s/tls/ca.key"
  MS_SRV_CRT="$s/tls/server.crt"
  MS_SRV_KEY="$s/tls/server.key"
  MS_TRUSTSTORE="$s/truststore.p12"
  MS_LOG="$s/log"
  MS_MAIL="$s/mail"
  MS_DOVECOT_DIR="$s/dovecot"
  MS_DOVECOT_CONF="$s/dovecot/dovecot.conf"
  MS_DOVECOT_USERS="$s/dovecot/users"
  MS_DOVECOT_RUN="$s/run/dovecot"          # Dovecot base_dir (sockets, master.pid)
  MS_DOVECOT_STATE="$s/lib/dovecot"        # Dovecot state_dir
  MS_DOVECOT_PID="$s/run/dovecot/master.pid"
  MS_AUTH_SOCKET="$s/run/dovecot/auth-postfix"
  MS_POSTFIX_ETC="$s/postfix/etc"          # Postfix config_directory
  MS_POSTFIX_QUEUE="$s/postfix/queue"      # Postfix queue_directory
  MS_POSTFIX_DATA="$s/postfix/data"        # Postfix data_directory
  MS_POSTFIX_PID="$s/postfix/queue/pid/master.pid"
  MS_ENV_FILE="$s/env.sh"
}

# ms_maildir USER — the Maildir root of a mail address.
ms_maildir() {
  local u="${1,,}"
  printf '%s/%s/%s/Maildir\n' "$MS_MAIL" "${u#*@}" "${u%%@*}"
}

# ms_pid_of FILE — print the PID stored in a daemon's pid file if that process
# is alive; return 1 otherwise.
ms_pid_of() {
  local f="$1" pid
  [ -r "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f" | head -c 12)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  printf '%s\n' "$pid"
}

# ms_pid_is PID NAME — true if process PID runs an executable called NAME
# (guards against signalling a recycled PID).
ms_pid_is() {
  local pid="$1" name="$2" exe
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  [ "${exe##*/}" = "$name" ] && return 0
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]
}

ms_dovecot_pid() { local p; p="$(ms_pid_of "$MS_DOVECOT_PID")" && ms_pid_is "$p" dovecot && echo "$p"; }
ms_postfix_pid() { local p; p="$(ms_pid_of "$MS_POSTFIX_PID")" && ms_pid_is "$p" master && echo "$p"; }

# ms_port_open PORT — true if something accepts TCP connections on 127.0.0.1:PORT.
ms_port_open() {
  (exec 3<>"/dev/tcp/$MS_HOST/$1") 2>/dev/null
}

ms_python() {
  if command -v python3 >/dev/null 2>&1; then command -v python3
  else ms_die "python3 is required"; fi
}
