#!/usr/bin/env bash
# oc-bench: part of the loopback mail server (Dovecot + Postfix from Debian's packages) that
# MailStackBenchmark runs against; see oc-bench/mailstack/README.md.
# down.sh [STATE_DIR] — stop the Dovecot and Postfix that up.sh started for
# STATE_DIR (default /tmp/ocbench-mail), found through their own PID files.
# Keeps STATE_DIR (mail, CA, truststore) and the installed packages; run
# `rm -rf STATE_DIR` after it for a clean slate. Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
ms_init "${1:-}"

# Both master processes get SIGTERM (they stop their own children); we wait
# for them and for the children they had, and SIGKILL, by PID, whatever is
# still there after 15 s.
masters=() watch=()
add_master() { # NAME PID
  local kids
  kids="$(ps -o pid= --ppid "$2" 2>/dev/null | tr -s ' \n' ' ' || true)"
  ms_log "stopping $1 (pid $2)"
  masters+=("$2")
  # shellcheck disable=SC2206
  watch+=("$2" $kids)
}
if pid="$(ms_postfix_pid)"; then add_master Postfix "$pid"
else ms_log "Postfix (config $MS_POSTFIX_ETC) is not running"; fi
if pid="$(ms_dovecot_pid)"; then add_master Dovecot "$pid"
else ms_log "Dovecot (config $MS_DOVECOT_CONF) is not running"; fi

if ((${#masters[@]})); then
  kill -TERM "${masters[@]}" 2>/dev/null || true
  alive=()
  for _ in $(seq 1 150); do
    alive=()
    for p in "${watch[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    ((${#alive[@]})) || break
    sleep 0.1
  done
  if ((${#alive[@]})); then
    ms_log "still running after 15 s, killing: ${alive[*]}"
    kill -KILL "${alive[@]}" 2>/dev/null || true
  fi
fi
rm -f "$MS_POSTFIX_PID"

still=()
for p in "$MS_IMAP_PORT" "$MS_IMAPS_PORT" "$MS_LMTP_PORT" "$MS_SMTP_INJECT_PORT" "$MS_SUBMISSION_PORT"; do
  ms_port_open "$p" && still+=("$p")
done
((${#still[@]})) && ms_die "ports still answering: ${still[*]} (not started by up.sh for $MS_STATE?)"
if ((${#masters[@]})); then ms_log "mail stack for $MS_STATE stopped"
else ms_log "mail stack for $MS_STATE was not running"; fi
