#!/usr/bin/env bash
# Start the whole platform under one supervisor (honcho). Ctrl-C stops everything.
# The production topology at small size, on one port: nginx (front) routes /ws/ to daphne
# (ws) and everything else to gunicorn's workers (web). Names of processes as arguments
# start only those (`scripts/run.sh front web ws`); FRONT_PORT, HTTP_PORT, WS_PORT and
# VAR_DIR move it (tests do), nothing needs setting.
set -euo pipefail
export PATH="$PWD/.venv/bin:$PATH"
var="$(realpath -m "${VAR_DIR:-var}")"
front_port="${FRONT_PORT:-8000}"
export HTTP_BIND="127.0.0.1:${HTTP_PORT:-8001}" WS_PORT="${WS_PORT:-8002}"
export FRONT_DIR="$var/front" WEB_WORKERS="${WEB_WORKERS:-2}"
# Our nginx is the one proxy in front: its X-Forwarded-For names the client, so the per-address
# throttles and lock-outs count each visitor, not the proxy.
export TRUSTED_PROXY_HOPS="${TRUSTED_PROXY_HOPS:-1}"
mkdir -p "$var"
python -m backend.config.front --listen "127.0.0.1:$front_port" \
  --http "$HTTP_BIND" --ws "127.0.0.1:$WS_PORT" \
  --static-root "${STATIC_ROOT:-$var/static}" --media-root "${MEDIA_ROOT:-$var/media}" \
  --prefix "$FRONT_DIR" --out "$FRONT_DIR/nginx.conf"
procfile="$var/Procfile.run"
cp Procfile "$procfile"
# A local Redis joins the supervised processes when none answers at REDIS_URL.
if ! redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379/0}" ping >/dev/null 2>&1; then
  echo 'redis: redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no' >> "$procfile"
fi
base="http://127.0.0.1:$front_port"
cat <<MSG

  沁水县电商直播与网店运营平台 is starting:
    Pages      $base/        (login: $base/login/)
    API docs   $base/api/docs
    Health     $base/healthz
    Admin      $base/admin/
    Live       rtmp://127.0.0.1:1935/live   (RTMP ingest for OBS/ffmpeg; the key is on $base/studio/)
    SMS outbox http://127.0.0.1:8025/v1/outbox   (codes are also printed below as [SMS to ...])
    Payments   http://127.0.0.1:8026/v1/_sandbox/payments   (the payment sandbox; pay pages at /pay/...)
    Stores     http://127.0.0.1:8031/ (Taobao)  :8032/ (Pinduoduo)  :8033/ (JD) — marketplace sandboxes
               with the demo merchant's 沁水特产馆 on each, bound by OAuth and kept in step
               by the stores app: $base/merchant/stores/ (office: $base/office/stores/)
  One port: nginx (front) → gunicorn (web, pages + API) and daphne (ws, /ws/).

MSG
exec honcho -f "$procfile" -d . start "$@"
