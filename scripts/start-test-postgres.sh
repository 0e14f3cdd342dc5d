#!/usr/bin/env bash
# Installs PostgreSQL from Debian if missing and starts a local cluster with a test database
# for the store contract suite. Idempotent. Prints nothing unless it changes something.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
say() { echo "test-postgres: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  say "installing postgresql from Debian"
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main"' | grep -q .; then
  say "creating cluster $version/main"
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
  say "starting cluster $version/main"
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do su postgres -c 'pg_isready -q' && break; sleep 0.5; done
psql_su() { su postgres -c "psql -qtAX -c \"$1\""; }
[ "$(psql_su "select 1 from pg_roles where rolname='swiftor'")" = 1 ] || psql_su "create role swiftor login password 'swiftor'"
# The high-availability test creates (and drops) a database of its own.
[ "$(psql_su "select rolcreatedb from pg_roles where rolname='swiftor'")" = t ] || psql_su "alter role swiftor createdb"
[ "$(psql_su "select 1 from pg_database where datname='swiftor_test'")" = 1 ] || psql_su "create database swiftor_test owner swiftor"
