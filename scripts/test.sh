#!/usr/bin/env bash
# The test command (README): real PostgreSQL and Redis, the migrations on fresh databases, the whole
# vitest suite. Uses the services on 127.0.0.1:5432/6379 when they answer; otherwise installs them
# with apt-get and runs private instances in a temp directory that is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_ID="kst$(date +%s)$$"
WORK="$(mktemp -d -t klachtsignaal-test.XXXXXX)"
OWN_PG="" OWN_REDIS=""
PG_HOST=127.0.0.1 PG_PORT=${TEST_PG_PORT:-5432} REDIS_PORT=${TEST_REDIS_PORT:-6379}

cleanup() {
  local code=$?
  if [ -n "${TEST_PG_URL:-}" ]; then
    psql "$TEST_PG_URL" -tAc "select datname from pg_database where datname like '${RUN_ID}%'" 2>/dev/null |
      while read -r db; do [ -n "$db" ] && psql "$TEST_PG_URL" -qc "drop database if exists \"$db\" with (force)" >/dev/null 2>&1; done
  fi
  if [ -n "${TEST_REDIS_URL:-}" ] && command -v redis-cli >/dev/null; then
    redis-cli -u "$TEST_REDIS_URL" --scan --pattern "${RUN_ID}*" 2>/dev/null | xargs -r -n 500 redis-cli -u "$TEST_REDIS_URL" del >/dev/null 2>&1 || true
  fi
  [ -n "$OWN_PG" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -n "$OWN_REDIS" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit $code
}
trap cleanup EXIT

need_apt() { # install Debian packages once, only when something is missing
  export DEBIAN_FRONTEND=noninteractive
  [ -f "$WORK/.apt-updated" ] || { apt-get update -qq && touch "$WORK/.apt-updated"; }
  apt-get install -y -qq "$@" >/dev/null
}

[ -d node_modules ] || npm install --no-audit --no-fund

# PostgreSQL
if command -v pg_isready >/dev/null && pg_isready -h "$PG_HOST" -p "$PG_PORT" -q; then
  TEST_PG_URL="postgres://postgres@$PG_HOST:$PG_PORT/postgres"
else
  echo "test: no PostgreSQL on $PG_HOST:$PG_PORT; starting a private one"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt postgresql
  PG_BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
  PG_PORT=55432; mkdir -p "$WORK/pg"; chown postgres "$WORK" "$WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off" -l "$WORK/pg.log" -w start >/dev/null
  OWN_PG=1
  TEST_PG_URL="postgres://postgres@$PG_HOST:$PG_PORT/postgres"
fi

# Redis
if command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; then
  TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
else
  echo "test: no Redis on 127.0.0.1:$REDIS_PORT; starting a private one"
  command -v redis-server >/dev/null || need_apt redis-server
  REDIS_PORT=56379
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --daemonize yes --logfile "$WORK/redis.log"
  for _ in $(seq 50); do [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] && break; sleep 0.1; done
  OWN_REDIS=1
  TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
fi

export TEST_PG_URL TEST_REDIS_URL TEST_RUN_ID="$RUN_ID"
echo "test: PostgreSQL $TEST_PG_URL, Redis $TEST_REDIS_URL, run $RUN_ID"
[ -n "${SKIP_TYPECHECK:-}" ] || npx tsc -p tsconfig.json --noEmit
npx vitest run "$@"
