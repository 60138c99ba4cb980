#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the oc-store-jdbc tests and prints the line to export.
#
#   eval "$(.ci/start-postgres.sh)"      # sets OC_TEST_PG_URL in the calling shell
#   .ci/start-postgres.sh --stop         # stops the server it started
#
# Idempotent: when the server it manages is already running it only prints the export line again.
# Installs the Debian package `postgresql` only when no initdb binary is present. Runs the server as a
# non-root user (PostgreSQL refuses to run as root), listening on 127.0.0.1 only, on a free port.
# Everything goes to stderr except the final `export` line.
set -euo pipefail

PG_USER="${OC_PG_OS_USER:-pgtest}"
PG_DATA="${OC_PG_DATA:-/tmp/oc-pgdata}"
PG_DB="${OC_PG_DB:-oc_test}"
PG_LOG="${PG_DATA}.log"
PORT_FILE="${PG_DATA}.port"

log() { echo "start-postgres: $*" >&2; }

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then
      echo "$d"
    fi
  done | sort -V | tail -n 1
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then
    su -s /bin/sh "$PG_USER" -c "$*"
  else
    sh -c "$*"
  fi
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
  log "no PostgreSQL binaries found: installing the Debian package postgresql"
  if [ "$(id -u)" != "0" ]; then
    log "not root: cannot apt-get install; install postgresql first"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)"
fi
log "using $BIN"

if [ "$(id -u)" = "0" ]; then
  PG_USER_RUN="$PG_USER"
  if ! id "$PG_USER" >/dev/null 2>&1; then
    log "creating OS user $PG_USER"
    useradd -m -s /bin/sh "$PG_USER"
  fi
else
  PG_USER_RUN="$(id -un)"
fi

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    as_pg "'$BIN/pg_ctl' -D '$PG_DATA' -m fast -w stop" >&2
  fi
  log "stopped"
  exit 0
fi

running() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_pg "'$BIN/pg_ctl' -D '$PG_DATA' status" >/dev/null 2>&1
}

if ! running; then
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initdb into $PG_DATA"
    rm -rf "$PG_DATA"
    mkdir -p "$PG_DATA"
    chown "$PG_USER_RUN" "$PG_DATA"
    chmod 700 "$PG_DATA"
    as_pg "'$BIN/initdb' -D '$PG_DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
  fi
  # A free port on 127.0.0.1: ask the kernel for one.
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 55432)"
  touch "$PG_LOG"
  chown "$PG_USER_RUN" "$PG_LOG"
  log "starting on 127.0.0.1:$PORT (log $PG_LOG)"
  as_pg "'$BIN/pg_ctl' -D '$PG_DATA' -l '$PG_LOG' -w -t 60 -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off\" start" >&2
  echo "$PORT" >"$PORT_FILE"
fi
PORT="$(cat "$PORT_FILE")"

# Create the database once.
if ! as_pg "'$BIN/psql' -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = '$PG_DB'\"" | grep -q 1; then
  log "creating database $PG_DB"
  as_pg "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres '$PG_DB'" >&2
fi

echo "export OC_TEST_PG_URL='jdbc:postgresql://127.0.0.1:${PORT}/${PG_DB}?user=postgres&password=postgres'"
