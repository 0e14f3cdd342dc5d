#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests when it is missing. Idempotent.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "install-chromium: installing chromium from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
