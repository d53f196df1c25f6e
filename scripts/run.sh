#!/usr/bin/env bash
# Start the whole platform under one supervisor (honcho). Ctrl-C stops everything.
set -euo pipefail
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var
procfile=var/Procfile.run
cp Procfile "$procfile"
# A local Redis joins the supervised processes when none answers at REDIS_URL.
if ! redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379/0}" ping >/dev/null 2>&1; then
  echo 'redis: redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no' >> "$procfile"
fi
cat <<MSG

  沁水县电商直播与网店运营平台 is starting:
    Pages      http://127.0.0.1:8000/        (login: http://127.0.0.1:8000/login/)
    API docs   http://127.0.0.1:8000/api/docs
    Health     http://127.0.0.1:8000/healthz
    Admin      http://127.0.0.1:8000/admin/
    SMS outbox http://127.0.0.1:8025/v1/outbox   (codes are also printed below as [SMS to ...])
    Payments   http://127.0.0.1:8026/v1/_sandbox/payments   (the payment sandbox; pay pages at /pay/...)
    Stores     http://127.0.0.1:8031/ (Taobao)  :8032/ (Pinduoduo)  :8033/ (JD) — marketplace sandboxes
               with a demo 沁水特产馆 each, filled by our connector clients

MSG
exec honcho -f "$procfile" -d . start
