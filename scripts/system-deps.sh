#!/usr/bin/env bash
# Install the Debian packages the platform needs, when missing (as root), and make sure
# Node.js is there. Usage: scripts/system-deps.sh [extra-package ...]
set -euo pipefail

packages=(redis-server ffmpeg nginx-light libnginx-mod-rtmp chromium fonts-wqy-microhei gettext "$@")
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node 20 on these machines comes from a package that conflicts with Debian's npm:
# install Debian's nodejs/npm only when there is no node at all.
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
