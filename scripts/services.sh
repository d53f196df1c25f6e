#!/usr/bin/env bash
# Make sure PostgreSQL (for tests) and Redis answer; start (and for PostgreSQL, install and
# prepare) them when they don't. Usage: scripts/services.sh [postgres] [redis]
set -euo pipefail

redis_url="${REDIS_URL:-redis://127.0.0.1:6379/0}"

ensure_redis() {
  if redis-cli -u "$redis_url" ping >/dev/null 2>&1; then return; fi
  echo "Starting a local Redis for $redis_url"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/qinshui-redis.log
  for _ in $(seq 50); do redis-cli -u "$redis_url" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "Redis did not start" >&2; exit 1
}

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    scripts/system-deps.sh postgresql
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    version=$(ls /etc/postgresql | sort -V | tail -1)
    echo "Starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
  fi
  # A fresh cluster asks for a password on TCP: give the postgres role the one the
  # default DATABASE_URL uses, and create the database (both no-ops when already done).
  if [ "$(id -u)" -eq 0 ] && [ -z "${DATABASE_URL:-}" ]; then
    if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1" >/dev/null 2>&1; then
      runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres'"
    fi
    PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -Atc \
      "select 1 from pg_database where datname='test'" | grep -q 1 \
      || PGPASSWORD=postgres createdb -h 127.0.0.1 -U postgres test
  fi
}

for service in "$@"; do
  case "$service" in
    redis) ensure_redis ;;
    postgres) ensure_postgres ;;
    *) echo "unknown service $service" >&2; exit 2 ;;
  esac
done
