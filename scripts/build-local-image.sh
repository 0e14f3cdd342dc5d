#!/usr/bin/env bash
# Builds the control-plane image from this checkout without any registry or base image:
# the host's node binary and the shared libraries it (and native addons) link against, plus
# package.json, dist/, node_modules/ and catalog/, imported with POST /images/create?fromSrc.
# Usage: scripts/build-local-image.sh [IMAGE]   (default swiftor/swiftor:local; run `npm run build` first)
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-swiftor/swiftor:local}
sock=${DOCKER_SOCKET:-/var/run/docker.sock}
[ -f dist/main.js ] || { echo "build-local-image: run 'npm run build' first" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/app" "$root/tmp" "$root/usr/local/bin" "$root/etc"
chmod 1777 "$root/tmp"
cp "$(readlink -f "$(command -v node)")" "$root/usr/local/bin/node"
{ ldd "$root/usr/local/bin/node"; find node_modules -name '*.node' -exec ldd {} \; ; } 2>/dev/null |
  awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u |
  while read -r lib; do mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; done
cp -r package.json dist catalog node_modules "$root/app/"
echo 'root:x:0:0:root:/root:/sbin/nologin' >"$root/etc/passwd"
changes=(
  'WORKDIR /app'
  'ENV LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64'
  'ENV NODE_ENV=production'
  'CMD ["/usr/local/bin/node", "dist/main.js"]'
)
query="fromSrc=-&repo=${image%:*}&tag=${image##*:}"
for change in "${changes[@]}"; do query+="&changes=$(printf '%s' "$change" | jq -sRr @uri 2>/dev/null || python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$change")"; done
tar -C "$root" -c . | curl -sf --unix-socket "$sock" -H 'Content-Type: application/x-tar' --data-binary @- "http://localhost/images/create?$query" >/dev/null
echo "build-local-image: built $image" >&2
