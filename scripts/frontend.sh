#!/usr/bin/env bash
# Install the locked front-end dependencies and copy the vendor files the pages import.
set -euo pipefail
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node scripts/vendor-copy.mjs
