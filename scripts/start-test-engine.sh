#!/usr/bin/env bash
# Copied from the shared tools (shared/tools/start-test-engine.sh) so a clean clone needs nothing else.
# Start a real Docker Engine (26.x, Engine API 1.45) in single-node Swarm mode on a
# Debian 12 machine with no Docker daemon, for integration tests. Idempotent: if an
# engine with API >= 1.44 already answers on /var/run/docker.sock, it only makes sure
# Swarm is active and the test images exist.
#
# Why not Debian 12's own docker.io? It is Engine 20.10 (API 1.41), which silently drops
# Privileges.Seccomp/AppArmor from Swarm service specs, so security profiles BASIC and
# ADVANCED cannot be tested on it. Debian 13 ships Engine 26; its dockerd and containerd
# binaries run on Debian 12's libc, with Debian 12's runc.
#
# Test images (no registry is reachable, so they are built locally from busybox-static):
#   swiftor-test/httpd:latest  busybox httpd serving /www on port 3000 (index.html = "ok")
# Set SWIFTOR_TEST_ENGINE_QUIET=1 to silence progress lines.
set -euo pipefail

PREFIX=/opt/swiftor-test-engine
CACHE=/var/cache/swiftor-test-engine
SOCK=/var/run/docker.sock
LOG=/var/log/swiftor-test-engine.log

say() { [ "${SWIFTOR_TEST_ENGINE_QUIET:-}" = 1 ] || echo "test-engine: $*" >&2; }

api_version() {
  curl -s --max-time 3 --unix-socket "$SOCK" http://localhost/version 2>/dev/null |
    sed -n 's/.*"ApiVersion":"\([0-9.]*\)".*/\1/p'
}

engine_ok() {
  local v; v=$(api_version)
  [ -n "$v" ] && [ "$(printf '%s\n1.44\n' "$v" | sort -V | head -1)" = "1.44" ]
}

install_engine() {
  export DEBIAN_FRONTEND=noninteractive
  if ! command -v runc >/dev/null || ! command -v iptables >/dev/null || [ ! -x /bin/busybox ]; then
    say "installing runc, iptables, busybox-static from Debian 12"
    apt-get update -qq >/dev/null
    apt-get install -y -qq runc iptables busybox-static curl >/dev/null
  fi
  if [ ! -x "$PREFIX/usr/sbin/dockerd" ]; then
    say "fetching dockerd 26 and containerd 1.7 from Debian 13"
    mkdir -p "$CACHE/etc" "$CACHE/lists/partial" "$CACHE/archives/partial" "$PREFIX"
    # Reuse the machine's own Debian mirror, asking it for the Debian 13 suite.
    local uri
    uri=$(awk '/^URIs:/ {u=$2} /^Suites:.*bookworm( |$)/ {print u; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$uri" ] || { echo "test-engine: no Debian mirror found in the apt sources" >&2; exit 1; }
    printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
      >"$CACHE/etc/trixie.sources"
    local o=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$CACHE/etc"
      -o "Dir::State::Lists=$CACHE/lists" -o "Dir::Cache=$CACHE")
    apt-get "${o[@]}" update -qq >/dev/null
    (cd "$CACHE" && apt-get "${o[@]}" download docker.io containerd >/dev/null 2>&1)
    for f in "$CACHE"/docker.io_*.deb "$CACHE"/containerd_*.deb; do dpkg-deb -x "$f" "$PREFIX"; done
  fi
}

start_engine() {
  say "starting dockerd (log: $LOG)"
  PATH="$PREFIX/usr/bin:$PREFIX/usr/sbin:$PATH" setsid "$PREFIX/usr/sbin/dockerd" \
    --data-root /var/lib/swiftor-test-engine --exec-root /var/run/swiftor-test-engine \
    -p /var/run/swiftor-test-engine.pid >>"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do engine_ok && return 0; sleep 0.5; done
  echo "test-engine: dockerd did not answer within 30 s; see $LOG" >&2
  tail -20 "$LOG" >&2
  exit 1
}

ensure_swarm() {
  local state
  state=$(curl -s --unix-socket "$SOCK" http://localhost/info | sed -n 's/.*"LocalNodeState":"\([a-z]*\)".*/\1/p')
  if [ "$state" != active ]; then
    say "initialising single-node swarm"
    curl -sf --unix-socket "$SOCK" -H 'Content-Type: application/json' \
      -d '{"ListenAddr":"127.0.0.1:2377","AdvertiseAddr":"127.0.0.1:2377"}' \
      http://localhost/swarm/init >/dev/null
  fi
}

ensure_images() {
  if curl -sf --unix-socket "$SOCK" http://localhost/images/swiftor-test/httpd:latest/json >/dev/null; then return; fi
  say "building test image swiftor-test/httpd:latest"
  local d; d=$(mktemp -d)
  mkdir -p "$d/bin" "$d/www" "$d/tmp"
  cp /bin/busybox "$d/bin/busybox"
  for c in sh httpd ls cat echo sleep wget mkdir touch id env; do ln -s busybox "$d/bin/$c"; done
  echo ok >"$d/www/index.html"
  tar -C "$d" -c . | curl -sf --unix-socket "$SOCK" -H 'Content-Type: application/x-tar' \
    --data-binary @- \
    'http://localhost/images/create?fromSrc=-&repo=swiftor-test/httpd&tag=latest&changes=CMD%20%5B%22%2Fbin%2Fhttpd%22%2C%22-f%22%2C%22-p%22%2C%223000%22%2C%22-h%22%2C%22%2Fwww%22%5D' >/dev/null
  rm -rf "$d"
}

if ! engine_ok; then
  if [ -n "$(api_version)" ]; then
    echo "test-engine: an engine with API $(api_version) answers on $SOCK; API >= 1.44 is needed. Stop it first." >&2
    exit 1
  fi
  install_engine
  start_engine
fi
ensure_swarm
ensure_images
say "ready: Docker Engine API $(api_version), swarm active"
